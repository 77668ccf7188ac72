/**
 * /settings is honest about storage: without persistent storage it says the progress may be
 * deleted and what to do; a backup counts only when the learner's own click saved it.
 */
import { expect, test } from '@playwright/test';

test.use({ locale: 'en-US' });

test('without persistent storage /settings says the progress may be deleted, and what to do', async ({
	page
}) => {
	await page.addInitScript(() => {
		// a browser that refuses persistence (Safari without Home Screen install)
		Object.defineProperty(navigator.storage, 'persisted', { value: async () => false });
		Object.defineProperty(navigator.storage, 'persist', { value: async () => false });
	});
	await page.goto('/settings');
	await expect(page.getByText('Not persistent.')).toBeVisible();
	await expect(
		page.getByText(/Safari deletes the data of a site you have not opened for 7 days/)
	).toBeVisible();
	await expect(page.getByText(/add Attentive to your Home Screen/)).toBeVisible();
});

test('a scripted export does not count as a backup; the learner’s click on the link does', async ({
	page
}) => {
	await page.goto('/settings');
	await expect(
		page.getByText(/You have not made a backup yet|Nothing to back up yet/)
	).toBeVisible();
	const exportButton = page.getByRole('button', { name: 'Export everything' });
	await expect(exportButton).toBeEnabled();
	// a script's click: untrusted, so no download starts and no backup is recorded
	await exportButton.evaluate((button: HTMLButtonElement) => button.click());
	const link = page.getByRole('link', { name: /^Save attentive-backup-.*\.json$/ });
	await expect(link).toBeVisible();
	await expect(page.getByText(/^Last backup:/)).toHaveCount(0);
	// the learner clicks the link: the download starts and the backup counts
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	expect(download.suggestedFilename()).toMatch(/^attentive-backup-\d{4}-\d{2}-\d{2}\.json$/);
	await expect(page.getByText(/^Last backup:/)).toBeVisible();
});
