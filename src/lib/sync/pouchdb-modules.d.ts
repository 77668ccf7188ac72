// PouchDB 9 ships no type declarations; this layer's `PouchStatic` (pouch.ts) describes what it uses.
declare module 'pouchdb-browser' {
	const PouchDB: import('./pouch.js').PouchStatic;
	export default PouchDB;
}
