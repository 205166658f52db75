// ESLint for `make lint` (scripts/php-lint.sh): the block editor's JS is written without a build
// step, as a plain script over WordPress's globals (wp.blocks, wp.element …), so ESLint's
// recommended rules on ES2020 browser scripts are what applies. WordPress's own preset
// (@wordpress/eslint-plugin via @wordpress/scripts) is for projects with a build.
//
// The hosted login's shell (php-shim/js/login/src) is different: ES modules with JSX, built by
// @wordpress/scripts (scripts/js-build.sh), so it gets WordPress's own preset
// (@wordpress/eslint-plugin, installed with @wordpress/scripts and compatible with this ESLint 9;
// @wordpress/scripts' own nested ESLint is not used), scoped to those files only. Formatting is
// Prettier's with WordPress's settings (a lint error; `node_modules/.bin/eslint --fix` applies it).
import js from '@eslint/js';
import globals from 'globals';
import wordpress from '@wordpress/eslint-plugin';

const SHELL = [ 'php-shim/js/*/src/**/*.js' ];

export default [
	{ ignores: [ 'php-shim/js/*/build/**' ] },
	js.configs.recommended,
	{
		files: [ 'php-shim/**/*.js' ],
		languageOptions: {
			ecmaVersion: 2020,
			sourceType: 'script',
			globals: { ...globals.browser },
		},
	},
	...wordpress.configs.recommended.map( ( config ) => ( { ...config, files: SHELL } ) ),
	{
		files: SHELL,
		languageOptions: {
			ecmaVersion: 2022,
			sourceType: 'module',
			parserOptions: { ecmaFeatures: { jsx: true } },
			globals: { ...globals.browser },
		},
		// WordPress provides these at run time (wp.element, wp.i18n): the build leaves them out.
		settings: {
			'import/core-modules': [
				'@wordpress/element',
				'@wordpress/i18n',
				// The Login Profiles editor (php-shim/js/profiles) uses these too.
				'@wordpress/components',
				'@wordpress/api-fetch',
			],
		},
	},
];
