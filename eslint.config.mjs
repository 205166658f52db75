// ESLint for `make lint` (scripts/php-lint.sh): the block editor's JS is written without a build
// step, as a plain script over WordPress's globals (wp.blocks, wp.element …), so ESLint's
// recommended rules on ES2020 browser scripts are what applies. WordPress's own preset
// (@wordpress/eslint-plugin via @wordpress/scripts) is for projects with a build.
import js from '@eslint/js';
import globals from 'globals';

export default [
	js.configs.recommended,
	{
		files: [ 'php-shim/**/*.js' ],
		languageOptions: {
			ecmaVersion: 2020,
			sourceType: 'script',
			globals: { ...globals.browser },
		},
	},
];
