// Answers are markdown written by a model: rendered with marked, then sanitized with
// DOMPurify before they touch the page. Nothing from an answer can run script or load
// anything from elsewhere (the page's CSP forbids both as well).

const { marked, DOMPurify } = window;

let hooked = false;

function purifier() {
	if (!hooked) {
		// Links in answers open in a new tab and tell the target nothing about this page.
		DOMPurify.addHook('afterSanitizeAttributes', (node) => {
			if (node.tagName === 'A' && node.hasAttribute('href')) {
				node.setAttribute('target', '_blank');
				node.setAttribute('rel', 'noopener noreferrer');
			}
		});
		hooked = true;
	}
	return DOMPurify;
}

const SANITIZE = {
	USE_PROFILES: { html: true },
	FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'textarea', 'select', 'iframe'],
	FORBID_ATTR: ['style', 'id', 'class', 'tabindex'],
	ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
};

/** Renders markdown into element, safely. */
export function renderMarkdown(element, text) {
	const html = marked.parse(text, { async: false, gfm: true, breaks: true });
	element.innerHTML = purifier().sanitize(html, SANITIZE);
}

/**
 * Turns every "[n]" in element's text (outside code and links) into a link to source n,
 * when there is such a source. Returns the number of citations linked.
 */
export function linkCitations(element, sourceCount, hrefFor) {
	if (sourceCount === 0) {
		return 0;
	}
	const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
		acceptNode(node) {
			return node.parentElement.closest('code, pre, a') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
		},
	});
	const nodes = [];
	while (walker.nextNode()) {
		if (/\[\d+\]/.test(walker.currentNode.nodeValue)) {
			nodes.push(walker.currentNode);
		}
	}
	let linked = 0;
	for (const node of nodes) {
		const parts = node.nodeValue.split(/(\[\d+\])/);
		const fragment = document.createDocumentFragment();
		for (const part of parts) {
			const match = /^\[(\d+)\]$/.exec(part);
			const n = match ? Number(match[1]) : 0;
			if (n >= 1 && n <= sourceCount) {
				const link = document.createElement('a');
				link.className = 'cite';
				link.href = hrefFor(n);
				link.dataset.source = String(n);
				link.textContent = `[${n}]`;
				link.setAttribute('aria-label', `Source ${n}`);
				fragment.append(link);
				linked++;
			}
			else if (part) {
				fragment.append(document.createTextNode(part));
			}
		}
		node.replaceWith(fragment);
	}
	return linked;
}
