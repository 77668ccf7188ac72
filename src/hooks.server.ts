import type { Handle } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { paraglideMiddleware } from '$lib/paraglide/server';

/** Renders each page in its URL's locale and writes that locale into `<html lang>` and the site's description. */
export const handle: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) =>
				html
					.replace('%paraglide.lang%', locale === 'zh' ? 'zh-CN' : locale)
					.replace('%attentive.description%', m.site_description({}, { locale }))
		});
	});
