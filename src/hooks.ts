import type { Reroute } from '@sveltejs/kit';
import { deLocalizeUrl } from '$lib/paraglide/runtime';

/** /zh/learn/… is /learn/… in Chinese: route on the path without its locale prefix. */
export const reroute: Reroute = (request) => deLocalizeUrl(request.url).pathname;
