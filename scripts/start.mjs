#!/usr/bin/env node
// `npm start`: build the site if it is missing or older than its sources, then serve build/ and print the URL.
import { createServer } from 'node:http';
import sirv from 'sirv';
import { ensureBuilt } from './build-if-needed.mjs';

await ensureBuilt();

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';
const serve = sirv('build', { etag: true, single: false, dev: false });

const server = createServer((req, res) => {
	serve(req, res, () => {
		res.statusCode = 404;
		res.setHeader('content-type', 'text/plain; charset=utf-8');
		res.end('Not found');
	});
});

server.on('error', (error) => {
	if (/** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE') {
		console.error(`Port ${port} is in use. Start on another one with: PORT=4174 npm start`);
		process.exit(1);
	}
	throw error;
});

server.listen(port, host, () => {
	console.log(`Attentive is running at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`);
	console.log('Press Ctrl+C to stop.');
});
