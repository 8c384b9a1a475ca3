// Matches the code as written (tabs, single quotes, semicolons, trailing commas, long lines).
// Not enforced by npm test; `npx prettier --write <file>` formats a file you touch.
module.exports = {
	useTabs: true,
	tabWidth: 2,
	singleQuote: true,
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	arrowParens: 'always',
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 140,
};
