export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'attentive-theme';
const ORDER: ThemeChoice[] = ['system', 'light', 'dark'];

/**
 * The learner's theme: follows the system until they pick one; the pick is remembered in this
 * browser's localStorage. It is a display choice of this browser, not a study setting: the progress
 * database and its backups do not hold it.
 */
export class ThemeState {
	choice = $state<ThemeChoice>('system');

	load(): void {
		try {
			const saved = localStorage.getItem(STORAGE_KEY);
			if (saved === 'light' || saved === 'dark') this.choice = saved;
		} catch {
			// storage blocked (private mode): keep following the system
		}
	}

	get next(): ThemeChoice {
		return ORDER[(ORDER.indexOf(this.choice) + 1) % ORDER.length];
	}

	cycle(): void {
		this.set(this.next);
	}

	set(choice: ThemeChoice): void {
		this.choice = choice;
		const root = document.documentElement;
		if (choice === 'system') delete root.dataset.theme;
		else root.dataset.theme = choice;
		try {
			if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
			else localStorage.setItem(STORAGE_KEY, choice);
		} catch {
			// not remembered, but applied for this visit
		}
	}
}
