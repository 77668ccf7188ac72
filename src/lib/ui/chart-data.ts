/** Plain shapes that pages hand to the ui layer's tables, charts and heatmap. */

/** A table whose first column names each row. */
export interface TableData {
	caption: string;
	columns: string[];
	rows: string[][];
}

export interface ChartSeries {
	label: string;
	/** One value per label; null leaves a gap. */
	data: (number | null)[];
}

export interface ChartData {
	type: 'bar' | 'line';
	labels: string[];
	series: ChartSeries[];
	/** Title of the value axis. */
	valueLabel: string;
	/** Values are percentages (axis 0-100, ticks with %). */
	percent?: boolean;
	/** Bars drawn horizontally (one per label), e.g. one per deck. */
	horizontal?: boolean;
}

export interface HeatCell {
	day: number;
	iso: string;
	count: number;
	/** 0 = no reviews, 1-4 = quarters of the busiest day. */
	level: 0 | 1 | 2 | 3 | 4;
	today: boolean;
}

/** One column of the heatmap: Monday to Sunday; null outside the year shown (or in the future). */
export interface HeatWeek {
	start: number;
	cells: (HeatCell | null)[];
}
