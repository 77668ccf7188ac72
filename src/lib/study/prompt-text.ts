/**
 * The plain text of a rendered prompt, for the card details' subtitle: KaTeX math as its TeX source
 * (`$…$`), not its two renderings. DOMParser neither runs scripts nor loads images.
 */
export function promptText(html: string): string {
	const body = new DOMParser().parseFromString(html, 'text/html').body;
	for (const math of body.querySelectorAll('.katex')) {
		const tex = math.querySelector('annotation')?.textContent;
		math.replaceWith(tex ? `$${tex}$` : (math.textContent ?? ''));
	}
	return (body.textContent ?? '').replace(/\s+/g, ' ').trim();
}
