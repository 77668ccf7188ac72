/** Plain shapes that state classes hand to the ui layer's tables and charts. */

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
