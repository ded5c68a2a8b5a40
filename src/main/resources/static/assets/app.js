// The help desk assistant's web app: sign in, chat with streamed and cited answers,
// sessions, feedback, and the knowledge-base admin. Plain DOM, no build step.

import { api, ApiError, setUnauthorizedHandler, streamAnswer, upload } from './api.js';
import { linkCitations, renderMarkdown } from './markdown.js';

const SESSION_PAGE = 20;
const DOCUMENT_PAGE = 20;
const APP_NAME = 'Help desk assistant';

const $ = (id) => document.getElementById(id);

const state = {
	me: null,
	config: { oauth_providers: [] },
	sessions: [],
	sessionsLoaded: false,
	moreSessions: false,
	currentSession: null,
	streaming: null,
	sources: new Map(),
	messageKeys: 0,
	sourcesOpener: null,
	documentsOffset: 0,
	assistant: null,
};

// --- small helpers ---

function el(tag, props = {}, ...children) {
	const node = document.createElement(tag);
	for (const [key, value] of Object.entries(props)) {
		if (key === 'class') {
			node.className = value;
		}
		else if (key === 'text') {
			node.textContent = value;
		}
		else if (key.startsWith('aria-') || key.startsWith('data-') || key === 'role' || key === 'type' || key === 'for') {
			node.setAttribute(key, value);
		}
		else {
			node[key] = value;
		}
	}
	node.append(...children.filter((child) => child !== null && child !== undefined));
	return node;
}

const ICONS = {
	pencil: 'M4 20h4L19 9l-4-4L4 16v4zm11-15 4 4',
	trash: 'M5 7h14M10 7V4h4v3m-7 0 1 13h8l1-13',
	up: 'M7 11v9H4v-9h3zm0 0 4-8a2 2 0 0 1 2 2v4h5a2 2 0 0 1 2 2.3l-1.3 7A2 2 0 0 1 16.7 20H7',
	down: 'M7 13V4H4v9h3zm0 0 4 8a2 2 0 0 0 2-2v-4h5a2 2 0 0 0 2-2.3l-1.3-7A2 2 0 0 0 16.7 4H7',
};

/** A decorative line icon (the control it sits in carries the name). */
function icon(name) {
	const ns = 'http://www.w3.org/2000/svg';
	const svg = document.createElementNS(ns, 'svg');
	svg.setAttribute('viewBox', '0 0 24 24');
	svg.setAttribute('width', '18');
	svg.setAttribute('height', '18');
	svg.setAttribute('aria-hidden', 'true');
	svg.setAttribute('focusable', 'false');
	svg.setAttribute('class', 'icon');
	const path = document.createElementNS(ns, 'path');
	path.setAttribute('d', ICONS[name]);
	svg.append(path);
	return svg;
}

function visuallyHidden(text) {
	return el('span', { class: 'visually-hidden', text });
}

function show(element, visible = true) {
	element.hidden = !visible;
}

function message(error) {
	return error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';
}

function safeUrl(url) {
	try {
		const parsed = new URL(url, location.href);
		return ['http:', 'https:'].includes(parsed.protocol) && url !== '#' ? parsed.href : null;
	}
	catch {
		return null;
	}
}

function formatScore(score) {
	return typeof score === 'number' ? score.toFixed(3) : 'n/a';
}

function setAppError(text) {
	$('app-error').textContent = text || '';
	show($('app-error'), Boolean(text));
}

function setAuthError(text) {
	$('auth-error').textContent = text || '';
	show($('auth-error'), Boolean(text));
}

function setAuthNotice(text) {
	$('auth-notice').textContent = text || '';
	show($('auth-notice'), Boolean(text));
}

// --- dialogs ---

function openDialog(dialog, focus) {
	dialog.returnValue = '';
	return new Promise((resolve) => {
		const opener = document.activeElement;
		dialog.addEventListener('close', () => {
			if (opener && opener.isConnected) {
				opener.focus();
			}
			resolve(dialog.returnValue === 'ok');
		}, { once: true });
		dialog.showModal();
		if (focus) {
			focus.focus();
		}
	});
}

function confirmDelete(title, text) {
	$('confirm-title').textContent = title;
	$('confirm-text').textContent = text;
	return openDialog($('confirm-dialog'), $('confirm-cancel'));
}

// --- views and routing ---

function showView(name) {
	show($('view-loading'), false);
	show($('view-auth'), name === 'auth');
	show($('view-app'), name === 'chat' || name === 'admin' || name === 'account');
	show($('chat-page'), name === 'chat');
	show($('admin-page'), name === 'admin');
	show($('account-page'), name === 'account');
	const main = { auth: 'main', chat: 'main-chat', admin: 'admin-page', account: 'account-page' }[name];
	document.querySelector('.skip-link').setAttribute('href', '#' + main);
	$('nav-chat').toggleAttribute('aria-current', name === 'chat');
	if (name === 'chat') {
		$('nav-chat').setAttribute('aria-current', 'page');
	}
	for (const [page, link] of [['admin', 'nav-admin'], ['account', 'nav-account']]) {
		$(link).toggleAttribute('aria-current', name === page);
		if (name === page) {
			$(link).setAttribute('aria-current', 'page');
		}
	}
	document.title = { auth: 'Sign in', chat: 'Chat', admin: 'Knowledge base', account: 'API keys' }[name] + ' · '
		+ APP_NAME;
}

function navigate(path, { replace = false } = {}) {
	history[replace ? 'replaceState' : 'pushState']({}, '', path);
	return route();
}

async function loadMe() {
	try {
		return await api('/api/auth/me', { quiet401: true });
	}
	catch (error) {
		if (error instanceof ApiError && error.status === 401) {
			return null;
		}
		throw error;
	}
}

async function route() {
	const path = location.pathname;
	if (path === '/oauth/handoff') {
		await redeemHandoff();
		return;
	}
	if (!state.me) {
		try {
			state.me = await loadMe();
		}
		catch (error) {
			showAuth();
			setAuthError(message(error));
			return;
		}
	}
	if (!state.me) {
		if (path !== '/login') {
			history.replaceState({}, '', '/login');
		}
		showAuth();
		return;
	}
	signedInChrome();
	if (path === '/admin') {
		if (state.me.role === 'admin') {
			await showAdmin();
			return;
		}
		history.replaceState({}, '', '/');
		setAppError('The knowledge base page is for administrators.');
	}
	else if (path === '/account') {
		await showAccount();
		return;
	}
	else if (path !== '/') {
		history.replaceState({}, '', '/');
	}
	await showChat();
}

// --- sign in, register, OAuth handoff, sign out ---

function showAuth() {
	const params = new URLSearchParams(location.search);
	const oauthError = params.get('oauth_error');
	if (oauthError) {
		setAuthError(oauthError === 'state_mismatch'
			? 'The sign-in with your provider expired or was interrupted. Please try again.'
			: 'The sign-in with your provider did not succeed. Please try again or use your password.');
	}
	const providers = state.config.oauth_providers || [];
	show($('oauth-github'), providers.includes('github'));
	show($('oauth-google'), providers.includes('google'));
	show($('oauth-buttons'), providers.length > 0);
	showView('auth');
}

function showRegister(visible) {
	show($('register-panel'), visible);
	show($('signin-panel'), !visible);
	setAuthError('');
	(visible ? $('register-username') : $('signin-username')).focus();
}

async function signIn(username, password) {
	await api('/api/auth/login-json', { method: 'POST', body: { username, password }, quiet401: true });
	state.me = await loadMe();
	setAuthNotice('');
	await navigate('/', { replace: true });
}

async function redeemHandoff() {
	const code = new URLSearchParams(location.search).get('code') || '';
	try {
		await api('/api/auth/oauth/handoff', { method: 'POST', body: { code }, quiet401: true });
		state.me = await loadMe();
		await navigate('/', { replace: true });
	}
	catch (error) {
		history.replaceState({}, '', '/login');
		showAuth();
		setAuthError(message(error));
	}
}

function resetSignedInState() {
	if (state.streaming) {
		state.streaming.abort();
	}
	state.me = null;
	state.sessions = [];
	state.sessionsLoaded = false;
	state.assistant = null;
	state.currentSession = null;
	state.sources.clear();
	clearConversation();
	$('session-list').replaceChildren();
	setAppError('');
}

async function signOut() {
	try {
		await api('/api/auth/logout', { method: 'POST' });
	}
	catch {
		// The cookies are cleared by the server; if it is unreachable, still leave the page.
	}
	resetSignedInState();
	setAuthNotice('You are signed out.');
	await navigate('/login', { replace: true });
	$('signin-username').focus();
}

setUnauthorizedHandler(() => {
	if (!state.me) {
		return;
	}
	resetSignedInState();
	history.replaceState({}, '', '/login');
	showAuth();
	setAuthNotice('Your session has expired. Please sign in again.');
});

function signedInChrome() {
	$('current-user').textContent = state.me.username;
	show($('nav-admin'), state.me.role === 'admin');
}

// --- chat: sessions ---

async function showChat() {
	showView('chat');
	if (!state.assistant) {
		loadAssistant();
	}
	if (!state.sessionsLoaded) {
		await loadSessions(true);
	}
}

// The signed-in user's assistant (their tenant's profile): its name, what it covers and
// questions to start with, on the empty chat screen.
async function loadAssistant() {
	let assistant;
	try {
		assistant = await api('/api/assistant', { quiet401: true });
	} catch {
		return;
	}
	state.assistant = assistant;
	$('assistant-name').textContent = assistant.assistant_name;
	if (assistant.supported_topics.length) {
		$('assistant-intro').textContent = `Ask a question about ${assistant.supported_topics.join(', ')}. `
			+ 'Answers cite the knowledge-base articles they come from.';
	}
	const list = $('example-questions');
	list.replaceChildren(...assistant.example_questions.map((question) => el('li', {},
		el('button', { type: 'button', class: 'example', text: question, onclick: () => askExample(question) }))));
	show($('example-heading'), assistant.example_questions.length > 0);
}

function askExample(question) {
	if (state.streaming) {
		return;
	}
	$('question').value = question;
	$('composer').requestSubmit();
}

async function loadSessions(reset) {
	const before = !reset && state.sessions.length ? state.sessions[state.sessions.length - 1].updated_at : null;
	const query = `?limit=${SESSION_PAGE}` + (before ? `&before=${encodeURIComponent(before)}` : '');
	try {
		const page = await api('/api/chat/sessions' + query);
		state.sessions = reset ? page : state.sessions.concat(page);
		state.moreSessions = page.length === SESSION_PAGE;
		state.sessionsLoaded = true;
		renderSessions();
	}
	catch (error) {
		setAppError(message(error));
	}
}

function renderSessions() {
	const list = $('session-list');
	list.replaceChildren(...state.sessions.map((session) => {
		const current = state.currentSession && state.currentSession.id === session.id;
		const open = el('button', { type: 'button', class: 'session-open', text: session.title, title: session.title });
		if (current) {
			open.setAttribute('aria-current', 'true');
		}
		open.addEventListener('click', () => openSession(session.id));
		const rename = el('button', { type: 'button', class: 'session-action', 'data-action': 'rename' },
			icon('pencil'), visuallyHidden(`Rename “${session.title}”`));
		rename.addEventListener('click', () => renameSession(session));
		const remove = el('button', { type: 'button', class: 'session-action', 'data-action': 'delete' },
			icon('trash'), visuallyHidden(`Delete “${session.title}”`));
		remove.addEventListener('click', () => deleteSession(session));
		return el('li', { class: current ? 'current' : '', 'data-session-id': String(session.id) }, open, rename, remove);
	}));
	show($('sessions-empty'), state.sessions.length === 0);
	show($('more-sessions'), state.moreSessions);
}

function closeSessionsDrawer() {
	$('sessions').classList.remove('open');
	$('toggle-sessions').setAttribute('aria-expanded', 'false');
}

function clearConversation() {
	$('messages').replaceChildren();
	show($('chat-empty'), true);
	$('conversation-title').textContent = 'New conversation';
	closeSources();
}

async function openSession(id) {
	if (state.streaming) {
		state.streaming.abort();
	}
	setAppError('');
	try {
		const session = await api(`/api/chat/sessions/${id}`);
		state.currentSession = { id: session.id, title: session.title };
		clearConversation();
		$('conversation-title').textContent = session.title;
		for (const item of session.messages) {
			if (item.role === 'user') {
				addUserMessage(item.content);
			}
			else {
				const view = addAssistantMessage();
				view.finish(item.content, {
					messageId: item.id,
					sources: (item.metadata && item.metadata.sources) || [],
					contents: (item.metadata && item.metadata.document_contents) || [],
					interrupted: Boolean(item.metadata && item.metadata.interrupted),
				});
			}
		}
		show($('chat-empty'), session.messages.length === 0);
		renderSessions();
		closeSessionsDrawer();
		scrollToEnd();
		$('question').focus();
	}
	catch (error) {
		setAppError(message(error));
	}
}

async function newChat() {
	if (state.streaming) {
		state.streaming.abort();
	}
	setAppError('');
	try {
		const session = await api('/api/chat/sessions', { method: 'POST', body: { title: 'New chat' } });
		state.sessions = [session, ...state.sessions.filter((s) => s.id !== session.id)];
		state.currentSession = { id: session.id, title: session.title };
		clearConversation();
		$('conversation-title').textContent = session.title;
		renderSessions();
		closeSessionsDrawer();
		$('question').focus();
	}
	catch (error) {
		setAppError(message(error));
	}
}

async function renameSession(session) {
	const input = $('rename-input');
	input.value = session.title;
	const ok = await openDialog($('rename-dialog'), input);
	const title = input.value.trim();
	if (!ok || !title || title === session.title) {
		return;
	}
	try {
		const updated = await api(`/api/chat/sessions/${session.id}`, { method: 'PATCH', body: { title } });
		state.sessions = state.sessions.map((s) => (s.id === updated.id ? { ...s, ...updated } : s));
		if (state.currentSession && state.currentSession.id === updated.id) {
			state.currentSession.title = updated.title;
			$('conversation-title').textContent = updated.title;
		}
		renderSessions();
		setAppError('');
	}
	catch (error) {
		setAppError(message(error));
	}
}

async function deleteSession(session) {
	const ok = await confirmDelete('Delete this chat?',
		`“${session.title}” and all its messages and feedback will be deleted. This cannot be undone.`);
	if (!ok) {
		return;
	}
	try {
		await api(`/api/chat/sessions/${session.id}`, { method: 'DELETE' });
		state.sessions = state.sessions.filter((s) => s.id !== session.id);
		if (state.currentSession && state.currentSession.id === session.id) {
			state.currentSession = null;
			clearConversation();
		}
		renderSessions();
		setAppError('');
		$('new-chat').focus();
	}
	catch (error) {
		setAppError(message(error));
	}
}

// --- chat: messages, streaming, sources, feedback ---

function scrollToEnd() {
	const scroller = $('messages-scroll');
	scroller.scrollTop = scroller.scrollHeight;
}

function addUserMessage(text) {
	show($('chat-empty'), false);
	const article = el('article', { class: 'message user', 'aria-label': 'Your question' },
		el('p', { class: 'role', text: 'You' }), el('div', { class: 'body', text: text }));
	$('messages').append(article);
	scrollToEnd();
}

function addAssistantMessage() {
	show($('chat-empty'), false);
	const key = `m${++state.messageKeys}`;
	const body = el('div', { class: 'body' });
	const status = el('p', { class: 'note', hidden: true });
	const tools = el('div', { class: 'message-tools', hidden: true });
	const article = el('article', { class: 'message assistant', 'aria-label': 'Answer', 'data-key': key },
		el('p', { class: 'role', text: 'Assistant' }), body, status, tools);
	$('messages').append(article);
	let pending = null;
	let latest = '';
	const render = () => {
		pending = null;
		renderMarkdown(body, latest);
		scrollToEnd();
	};
	return {
		article,
		streaming() {
			article.setAttribute('aria-busy', 'true');
			article.classList.add('streaming');
		},
		status(text) {
			status.textContent = text;
			show(status, Boolean(text));
		},
		update(text) {
			latest = text;
			if (!pending) {
				pending = requestAnimationFrame(render);
			}
		},
		finish(text, { messageId = null, sources = [], contents = [], interrupted = false, error = null } = {}) {
			if (pending) {
				cancelAnimationFrame(pending);
				pending = null;
			}
			article.removeAttribute('aria-busy');
			article.classList.remove('streaming');
			renderMarkdown(body, text);
			if (sources.length) {
				state.sources.set(key, { sources, contents });
				linkCitations(body, sources.length, (n) => `#src-${key}-${n}`);
			}
			if (error) {
				status.className = 'error-note';
				this.status(error);
			}
			else if (interrupted) {
				this.status('Stopped: this is the partial answer.');
			}
			else {
				this.status('');
			}
			article.dataset.messageId = messageId === null ? '' : String(messageId);
			renderTools(tools, key, messageId, sources.length);
			scrollToEnd();
		},
	};
}

function renderTools(tools, key, messageId, sourceCount) {
	const children = [];
	if (sourceCount) {
		const sourcesButton = el('button', { type: 'button', class: 'show-sources', text: `Sources (${sourceCount})` });
		sourcesButton.addEventListener('click', () => openSources(key, 0, sourcesButton));
		children.push(sourcesButton);
	}
	if (messageId !== null) {
		const saved = el('span', { class: 'feedback-saved', role: 'status' });
		const up = el('button', { type: 'button', class: 'thumb-up', 'aria-pressed': 'false' },
			icon('up'), 'Helpful');
		const down = el('button', { type: 'button', class: 'thumb-down', 'aria-pressed': 'false' },
			icon('down'), 'Not helpful');
		const comment = el('button', { type: 'button', class: 'comment', text: 'Add a comment', hidden: true });
		let chosen = null;
		const send = async (type, text) => {
			const body = { message_id: messageId, feedback_type: type };
			if (text) {
				body.comment = text;
			}
			try {
				await api('/api/chat/feedback', { method: 'POST', body });
				chosen = type;
				up.setAttribute('aria-pressed', String(type === 'thumbs_up'));
				down.setAttribute('aria-pressed', String(type === 'thumbs_down'));
				show(comment, true);
				saved.textContent = text ? 'Thanks, your comment was sent.' : 'Thanks for your feedback.';
			}
			catch (error) {
				saved.textContent = message(error);
			}
		};
		up.addEventListener('click', () => send('thumbs_up'));
		down.addEventListener('click', () => send('thumbs_down'));
		comment.addEventListener('click', async () => {
			const input = $('comment-input');
			input.value = '';
			if (await openDialog($('comment-dialog'), input)) {
				await send(chosen || 'thumbs_down', input.value.trim());
			}
		});
		children.push(up, down, comment, saved);
	}
	tools.replaceChildren(...children);
	show(tools, children.length > 0);
}

function openSources(key, n, opener) {
	const entry = state.sources.get(key);
	if (!entry) {
		return;
	}
	state.sourcesOpener = opener || document.activeElement;
	const items = entry.sources.map((source, index) => {
		const number = index + 1;
		const title = source.source && source.source !== 'unknown' ? source.source : (source.short_description || 'Untitled source');
		const meta = [source.kb_number && source.kb_number !== 'N/A' ? source.kb_number : null, source.kb_category || null,
			`relevance ${formatScore(source.score)}`].filter(Boolean).join(' · ');
		const url = safeUrl(source.kb_url || '');
		const passage = entry.contents[index] ? entry.contents[index].content : '';
		const details = el('details', { open: number === n || n === 0 && number === 1 },
			el('summary', { text: 'Passage used' }), el('p', { class: 'source-passage', text: passage }));
		return el('li', { id: `src-${key}-${number}`, class: number === n ? 'highlight source' : 'source', tabIndex: -1 },
			el('p', { class: 'source-title', text: title }),
			el('p', { class: 'source-meta', text: meta }),
			url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'source-link' },
				'Open the article', visuallyHidden(`: ${title} (opens in a new tab)`)) : null,
			passage ? details : null);
	});
	$('source-list').replaceChildren(...items);
	show($('sources'), true);
	const target = n ? $(`src-${key}-${n}`) : $('sources-heading');
	(target || $('sources-heading')).focus();
	if (target && target.scrollIntoView) {
		target.scrollIntoView({ block: 'nearest' });
	}
}

function closeSources() {
	show($('sources'), false);
	const opener = state.sourcesOpener;
	state.sourcesOpener = null;
	if (opener && opener.isConnected) {
		opener.focus();
	}
}

function setComposerBusy(busy) {
	$('send').disabled = busy;
	show($('stop'), busy);
	show($('send'), !busy);
	if (busy) {
		$('stop').focus();
	}
}

async function ask(content) {
	const controller = new AbortController();
	state.streaming = controller;
	setComposerBusy(true);
	setAppError('');
	addUserMessage(content);
	const view = addAssistantMessage();
	view.streaming();
	$('stream-status').textContent = 'Writing the answer…';
	let text = '';
	let tokens = 0;
	let done = null;
	let failure = null;
	let stopped = false;
	const sessionBefore = state.currentSession ? state.currentSession.id : null;
	try {
		await streamAnswer({ content, session_id: sessionBefore, research_mode: 'kb' }, {
			signal: controller.signal,
			onEvent(event) {
				if (event.type === 'status') {
					view.status(event.message);
				}
				else if (event.type === 'token') {
					if (!text) {
						view.status('');
					}
					text += event.token;
					// How many fragments arrived: shows (and lets the browser tests check)
					// that the answer came in as a stream.
					view.article.dataset.tokens = String(++tokens);
					view.update(text);
				}
				else if (event.type === 'done') {
					done = event;
				}
				else if (event.type === 'error') {
					failure = event.message || 'Error generating response.';
				}
			},
		});
	}
	catch (error) {
		if (error.name === 'AbortError') {
			stopped = true;
		}
		else {
			failure = message(error);
		}
	}
	finally {
		if (state.streaming === controller) {
			state.streaming = null;
		}
		setComposerBusy(false);
	}
	if (done) {
		view.finish(text, {
			messageId: done.assistant_message_id ?? null,
			sources: done.sources || [],
			contents: done.document_contents || [],
		});
		$('stream-status').textContent = 'Answer complete.';
		const title = done.title || (state.currentSession && state.currentSession.title) || 'Chat';
		state.currentSession = { id: done.session_id, title };
		$('conversation-title').textContent = title;
		await loadSessions(true);
	}
	else if (stopped) {
		view.finish(text, { interrupted: true });
		$('stream-status').textContent = 'Stopped. The partial answer is kept.';
		await loadSessions(true);
		if (!sessionBefore && state.sessions.length) {
			// The stream created the session but was stopped before saying its id: it is
			// the newest one.
			state.currentSession = { id: state.sessions[0].id, title: state.sessions[0].title };
			$('conversation-title').textContent = state.sessions[0].title;
			renderSessions();
		}
	}
	else {
		view.finish(text, { error: failure || 'The answer ended unexpectedly.' });
		$('stream-status').textContent = 'The answer failed.';
	}
	if (document.activeElement === document.body || document.activeElement === $('stop')) {
		$('question').focus();
	}
}

// --- account: personal API keys ---

async function showAccount() {
	showView('account');
	setAppError('');
	$('openai-base-url').textContent = `${location.origin}/v1`;
	await loadKeys();
}

function formatDate(value) {
	return value ? new Date(value).toLocaleDateString() : '—';
}

async function loadKeys() {
	try {
		const keys = await api('/api/auth/api-keys');
		$('key-rows').replaceChildren(...keys.map((key) => {
			const revoke = el('button', { type: 'button', class: 'delete-key' }, 'Revoke',
				visuallyHidden(` “${key.name}”`));
			revoke.addEventListener('click', () => revokeKey(key));
			return el('tr', { 'data-key-id': String(key.id) },
				el('td', { text: key.name }),
				el('td', {}, el('code', { text: `${key.prefix}…` })),
				el('td', { text: formatDate(key.created_at) }),
				el('td', { text: key.expires_at ? formatDate(key.expires_at) : 'never' }),
				el('td', { text: key.last_used_at ? formatDate(key.last_used_at) : 'not yet' }),
				el('td', {}, revoke));
		}));
		show($('keys-empty'), keys.length === 0);
	}
	catch (error) {
		setAppError(message(error));
	}
}

async function createKey(name, expiresInDays) {
	try {
		const body = { name };
		if (expiresInDays) {
			body.expires_in_days = Number(expiresInDays);
		}
		const created = await api('/api/auth/api-keys', { method: 'POST', body });
		$('new-key-value').value = created.key;
		show($('new-key'));
		$('new-key-value').focus();
		$('new-key-value').select();
		$('key-form').reset();
		await loadKeys();
	}
	catch (error) {
		setAppError(message(error));
	}
}

async function revokeKey(key) {
	const ok = await confirmDelete('Revoke this key?',
		`Tools using “${key.name}” (${key.prefix}…) stop working at once.`);
	if (!ok) {
		return;
	}
	try {
		await api(`/api/auth/api-keys/${key.id}`, { method: 'DELETE' });
		await loadKeys();
		$('key-name').focus();
	}
	catch (error) {
		setAppError(message(error));
	}
}

// --- knowledge admin ---

async function showAdmin() {
	showView('admin');
	setAppError('');
	await loadDocuments(0);
}

async function loadDocuments(offset) {
	try {
		const documents = await api(`/api/knowledge/documents?limit=${DOCUMENT_PAGE + 1}&offset=${offset}`);
		show($('admin-unavailable'), false);
		state.documentsOffset = offset;
		const page = documents.slice(0, DOCUMENT_PAGE);
		$('document-rows').replaceChildren(...page.map((doc) => {
			const remove = el('button', { type: 'button', class: 'delete-document' }, 'Delete',
				visuallyHidden(` “${doc.title}”`));
			remove.addEventListener('click', () => deleteDocument(doc));
			const url = safeUrl(doc.kb_url || '');
			return el('tr', { 'data-document-id': String(doc.id) },
				el('td', {}, url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: doc.title })
					: doc.title, el('div', { class: 'hint', text: doc.source })),
				el('td', { text: doc.kb_number || '—' }),
				el('td', { class: 'num chunks', text: String(doc.chunks) }),
				el('td', { text: doc.ingestion_date || '' }),
				el('td', {}, remove));
		}));
		show($('documents-empty'), page.length === 0 && offset === 0);
		$('docs-prev').disabled = offset === 0;
		$('docs-next').disabled = documents.length <= DOCUMENT_PAGE;
		$('docs-page').textContent = page.length
			? `Documents ${offset + 1}–${offset + page.length}` : '';
	}
	catch (error) {
		if (error instanceof ApiError && error.status === 404) {
			show($('admin-unavailable'), true);
		}
		else {
			setAppError(message(error));
		}
	}
}

async function deleteDocument(doc) {
	const ok = await confirmDelete('Delete this document?',
		`“${doc.title}” and its ${doc.chunks} passages leave the knowledge base at once.`);
	if (!ok) {
		return;
	}
	try {
		await api(`/api/knowledge/documents/${doc.id}`, { method: 'DELETE' });
		await loadDocuments(state.documentsOffset);
		$('upload-files').focus();
	}
	catch (error) {
		setAppError(message(error));
	}
}

async function uploadFiles(files) {
	const list = $('upload-progress');
	list.replaceChildren();
	for (const file of files) {
		const bar = el('progress', { max: 1, value: 0, 'aria-label': `Upload of ${file.name}` });
		const status = el('span', { class: 'upload-status', text: 'Uploading…' });
		list.append(el('li', {}, el('span', {}, el('strong', { text: file.name }), ' ', status), bar));
		try {
			const result = await upload(file, (fraction) => {
				bar.value = fraction;
			});
			bar.value = 1;
			status.textContent = result.status === 201
				? `Added: ${result.document.chunks} passages.`
				: 'Already in the knowledge base.';
		}
		catch (error) {
			status.textContent = `Not added: ${message(error)}`;
		}
	}
	await loadDocuments(0);
}

async function searchKnowledge(q) {
	$('search-status').textContent = 'Searching…';
	try {
		const hits = await api(`/api/knowledge/search?q=${encodeURIComponent(q)}&k=5`);
		$('search-results').replaceChildren(...hits.map((hit, index) => {
			const source = hit.metadata || {};
			const title = source.source || source.short_description || 'Untitled';
			return el('li', { class: 'search-hit' },
				el('p', { class: 'source-title', text: title }),
				el('p', { class: 'source-meta', text: [source.kb_number, `score ${formatScore(hit.score)}`, `rank ${index + 1}`]
					.filter(Boolean).join(' · ') }),
				el('p', { class: 'source-passage', tabIndex: 0, text: hit.content }));
		}));
		$('search-status').textContent = hits.length ? `${hits.length} passages found.` : 'No passage matches this question.';
	}
	catch (error) {
		$('search-status').textContent = message(error);
	}
}

// --- wiring ---

function wire() {
	$('show-register').addEventListener('click', () => showRegister(true));
	$('show-signin').addEventListener('click', () => showRegister(false));

	$('signin-form').addEventListener('submit', async (event) => {
		event.preventDefault();
		setAuthError('');
		const username = $('signin-username').value.trim();
		const password = $('signin-password').value;
		if (!username || !password) {
			setAuthError('Enter your username (or email) and your password.');
			return;
		}
		try {
			await signIn(username, password);
			$('signin-password').value = '';
		}
		catch (error) {
			setAuthError(message(error));
		}
	});

	$('register-form').addEventListener('submit', async (event) => {
		event.preventDefault();
		setAuthError('');
		const username = $('register-username').value.trim();
		const email = $('register-email').value.trim();
		const password = $('register-password').value;
		try {
			await api('/api/auth/register', { method: 'POST', body: { username, email, password }, quiet401: true });
			$('register-form').reset();
			show($('register-panel'), false);
			show($('signin-panel'), true);
			await signIn(username, password);
		}
		catch (error) {
			setAuthError(message(error));
		}
	});

	$('signout').addEventListener('click', signOut);
	$('new-chat').addEventListener('click', newChat);
	$('more-sessions').addEventListener('click', () => loadSessions(false));
	$('toggle-sessions').addEventListener('click', () => {
		const open = $('sessions').classList.toggle('open');
		$('toggle-sessions').setAttribute('aria-expanded', String(open));
		if (open) {
			$('new-chat').focus();
		}
	});
	$('close-sources').addEventListener('click', closeSources);
	// Cancel buttons are not submit buttons, so that Enter in a dialog's field saves.
	for (const cancel of document.querySelectorAll('dialog [data-close]')) {
		cancel.addEventListener('click', () => cancel.closest('dialog').close('cancel'));
	}
	document.addEventListener('keydown', (event) => {
		if (event.key === 'Escape' && !$('sources').hidden && !document.querySelector('dialog[open]')) {
			closeSources();
		}
	});

	$('composer').addEventListener('submit', (event) => {
		event.preventDefault();
		const content = $('question').value.trim();
		if (!content || state.streaming) {
			return;
		}
		$('question').value = '';
		ask(content);
	});
	$('question').addEventListener('keydown', (event) => {
		if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
			event.preventDefault();
			$('composer').requestSubmit();
		}
	});
	$('stop').addEventListener('click', () => {
		if (state.streaming) {
			state.streaming.abort();
		}
	});

	$('messages').addEventListener('click', (event) => {
		const link = event.target.closest('a.cite');
		if (!link) {
			return;
		}
		event.preventDefault();
		const key = link.closest('article').dataset.key;
		openSources(key, Number(link.dataset.source), link);
	});

	// Links between the app's own pages stay in the page.
	document.addEventListener('click', (event) => {
		const link = event.target.closest('a[href]');
		if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
			return;
		}
		const url = new URL(link.href, location.href);
		if (url.origin === location.origin && ['/', '/admin', '/account'].includes(url.pathname) && !link.target) {
			event.preventDefault();
			setAppError('');
			navigate(url.pathname);
		}
	});
	window.addEventListener('popstate', () => route());

	$('upload-form').addEventListener('submit', (event) => {
		event.preventDefault();
		const files = Array.from($('upload-files').files);
		if (files.length) {
			uploadFiles(files).then(() => $('upload-form').reset());
		}
	});
	$('search-form').addEventListener('submit', (event) => {
		event.preventDefault();
		const q = $('search-q').value.trim();
		if (q) {
			searchKnowledge(q);
		}
	});
	$('key-form').addEventListener('submit', (event) => {
		event.preventDefault();
		const name = $('key-name').value.trim();
		if (name) {
			show($('new-key'), false);
			createKey(name, $('key-expiry').value);
		}
	});
	$('copy-key').addEventListener('click', async () => {
		try {
			await navigator.clipboard.writeText($('new-key-value').value);
			$('copy-key').textContent = 'Copied';
		}
		catch {
			$('new-key-value').select();
		}
	});
	$('docs-prev').addEventListener('click', () => loadDocuments(Math.max(0, state.documentsOffset - DOCUMENT_PAGE)));
	$('docs-next').addEventListener('click', () => loadDocuments(state.documentsOffset + DOCUMENT_PAGE));
}

async function start() {
	wire();
	try {
		state.config = await api('/app/config.json', { quiet401: true });
	}
	catch {
		state.config = { oauth_providers: [] };
	}
	await route();
	document.body.dataset.ready = 'true';
}

start();
