// Node's own import(), out of reach of vitest's module runner (which transforms every module a test file imports from
// outside node_modules): support/score-in-built-process.ts loads the built command through it. A CommonJS file, as
// require() of it is Node's, and so is the import() inside it.
module.exports = (url) => import(url);
