/** Where `npm run index` reads and writes by default, and what `npm start` serves and keeps fresh. */
export const DEFAULT_CORPUS = 'corpus';
export const DEFAULT_INDEX = 'data/index';
