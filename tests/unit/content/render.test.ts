import { describe, expect, it } from 'vitest';
import { renderInline, renderMarkdown } from '../../../src/lib/content/index.js';

describe('renderMarkdown', () => {
	it('typesets inline and display math with KaTeX at render time', () => {
		const html = renderMarkdown(
			'Score $\\omega_{21}$.\n\n$$\n\\frac{e^{x_i}}{\\sum_j e^{x_j}}\n$$\n'
		);
		expect(html).toContain('<span class="katex">');
		// display math may scroll sideways on a phone, so it is reachable by keyboard
		expect(html).toContain('<span class="katex-display" tabindex="0">');
		expect(html).toContain('<annotation encoding="application/x-tex">\\omega_{21}</annotation>');
		expect(html).not.toContain('$');
	});

	it('makes tables reachable by keyboard (they scroll sideways on a phone)', () => {
		expect(renderMarkdown('| a | b |\n| - | - |\n| 1 | 2 |')).toContain('<table tabindex="0">');
	});

	it('leaves prices and escaped dollars as text', () => {
		const html = renderMarkdown('It costs $5 and $10. A literal \\$ sign.');
		expect(html).toBe('<p>It costs $5 and $10. A literal $ sign.</p>\n');
	});

	it('highlights fenced code at render time', () => {
		const html = renderMarkdown('```python\nimport torch\nx = torch.rand(3, 2)\n```');
		expect(html).toContain('<pre tabindex="0"><code class="hljs language-python">');
		expect(html).toContain('<span class="hljs-keyword">import</span>');
	});

	it('escapes code in unknown languages', () => {
		expect(renderMarkdown('```cobol\n<b>hi</b>\n```')).toBe(
			'<pre tabindex="0"><code class="hljs">&lt;b&gt;hi&lt;/b&gt;</code></pre>\n'
		);
	});

	it('sanitises scripts, event handlers and javascript: links', () => {
		const html = renderMarkdown(
			'<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)"> [a](javascript:alert(1)) <a href="javascript:alert(2)">b</a>'
		);
		expect(html).not.toMatch(/<script|onerror|javascript:/);
		expect(html).toContain('<img src="x">');
	});

	it('does not typeset math inside code', () => {
		expect(renderMarkdown('`$x$`')).toBe('<p><code>$x$</code></p>\n');
	});
});

describe('renderInline', () => {
	it('renders without a paragraph', () => {
		expect(renderInline('a **b**')).toBe('a <strong>b</strong>');
	});
});
