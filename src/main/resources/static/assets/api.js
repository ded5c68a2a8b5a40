// The HTTP API as the page uses it: cookies for authentication, the CSRF header on every
// unsafe request (API.md §1), problem details turned into errors whose message is the
// server's human-readable "detail".

export class ApiError extends Error {
	constructor(status, detail, problem) {
		super(detail);
		this.status = status;
		this.problem = problem;
	}
}

function cookie(name) {
	for (const part of document.cookie.split(';')) {
		const [key, ...rest] = part.trim().split('=');
		if (key === name) {
			return decodeURIComponent(rest.join('='));
		}
	}
	return null;
}

export function csrfHeaders(method) {
	const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
	const token = cookie('csrf_token');
	return unsafe && token ? { 'X-CSRF-Token': token } : {};
}

/** Reads an error response: the problem's detail, or a plain message when there is none. */
export async function toError(response) {
	let problem = null;
	try {
		problem = await response.json();
	}
	catch {
		// not JSON: fall through to the generic text
	}
	const detail = problem && typeof problem.detail === 'string' && problem.detail
		? problem.detail
		: `The server answered ${response.status}${response.statusText ? ' ' + response.statusText : ''}.`;
	return new ApiError(response.status, detail, problem);
}

let onUnauthorized = () => {};

/** What to do when a request finds the session expired (any 401 but sign-in and register). */
export function setUnauthorizedHandler(handler) {
	onUnauthorized = handler;
}

export async function api(path, { method = 'GET', body, signal, quiet401 = false } = {}) {
	const headers = { Accept: 'application/json', ...csrfHeaders(method) };
	let payload;
	if (body instanceof FormData) {
		payload = body;
	}
	else if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		payload = JSON.stringify(body);
	}
	let response;
	try {
		response = await fetch(path, { method, headers, body: payload, signal, credentials: 'same-origin' });
	}
	catch (error) {
		if (error.name === 'AbortError') {
			throw error;
		}
		throw new ApiError(0, 'The server could not be reached. Check your connection and try again.', null);
	}
	if (!response.ok) {
		const error = await toError(response);
		if (response.status === 401 && !quiet401) {
			onUnauthorized(error);
		}
		throw error;
	}
	if (response.status === 204) {
		return null;
	}
	const type = response.headers.get('Content-Type') || '';
	return type.includes('json') ? response.json() : response.text();
}

/**
 * Streams an answer (API.md §3.4): POSTs the question, then reads the body with a
 * ReadableStream and hands each "data: " event to onEvent as it arrives. Aborting the
 * signal stops reading and closes the connection; the server then keeps the partial answer.
 */
export async function streamAnswer(request, { signal, onEvent }) {
	let response;
	try {
		response = await fetch('/api/chat/stream', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...csrfHeaders('POST') },
			body: JSON.stringify(request),
			credentials: 'same-origin',
			signal,
		});
	}
	catch (error) {
		if (error.name === 'AbortError') {
			throw error;
		}
		throw new ApiError(0, 'The server could not be reached. Check your connection and try again.', null);
	}
	if (!response.ok) {
		const error = await toError(response);
		if (response.status === 401) {
			onUnauthorized(error);
		}
		throw error;
	}
	const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
	let buffer = '';
	for (;;) {
		const { value, done } = await reader.read();
		if (done) {
			break;
		}
		buffer += value.replace(/\r\n/g, '\n');
		let end;
		while ((end = buffer.indexOf('\n\n')) >= 0) {
			const block = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			if (block.startsWith('data: ')) {
				onEvent(JSON.parse(block.slice(6)));
			}
		}
	}
}

/** Uploads one file with progress (fetch cannot report upload progress; XHR can). */
export function upload(file, onProgress) {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', '/api/knowledge/documents');
		xhr.setRequestHeader('Accept', 'application/json');
		for (const [name, value] of Object.entries(csrfHeaders('POST'))) {
			xhr.setRequestHeader(name, value);
		}
		xhr.upload.addEventListener('progress', (event) => {
			if (event.lengthComputable) {
				onProgress(event.loaded / event.total);
			}
		});
		xhr.addEventListener('load', () => {
			let json = null;
			try {
				json = JSON.parse(xhr.responseText);
			}
			catch {
				// not JSON
			}
			if (xhr.status >= 200 && xhr.status < 300) {
				resolve({ status: xhr.status, document: json });
			}
			else {
				const detail = json && typeof json.detail === 'string' ? json.detail : `The server answered ${xhr.status}.`;
				const error = new ApiError(xhr.status, detail, json);
				if (xhr.status === 401) {
					onUnauthorized(error);
				}
				reject(error);
			}
		});
		xhr.addEventListener('error', () => reject(new ApiError(0, 'The upload failed: the server could not be reached.', null)));
		const form = new FormData();
		form.append('file', file, file.name);
		xhr.send(form);
	});
}
