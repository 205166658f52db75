/**
 * Human names of the profile model's values (REFERENCE-API §9.1), shared by the list and the editor.
 */
import { __ } from '@wordpress/i18n';

/** Sign-in methods, in the model's order. */
export const METHODS = [
	'password',
	'magic_code',
	'oauth_google',
	'oauth_microsoft',
	'oauth_github',
	'oauth_apple',
	'passkey',
];

/**
 * The name of a sign-in method.
 *
 * @param {string} method A value of METHODS.
 * @return {string} Its name.
 */
export function methodName( method ) {
	switch ( method ) {
		case 'password':
			return __( 'Password', 'workos' );
		case 'magic_code':
			return __( 'Magic code by email', 'workos' );
		case 'oauth_google':
			return __( 'Google', 'workos' );
		case 'oauth_microsoft':
			return __( 'Microsoft', 'workos' );
		case 'oauth_github':
			return __( 'GitHub', 'workos' );
		case 'oauth_apple':
			return __( 'Apple', 'workos' );
		case 'passkey':
			return __( 'Passkey', 'workos' );
		default:
			return method;
	}
}

/**
 * MFA second factors the hosted login can complete, in the model's order. The model still
 * accepts `webauthn` (stored profiles keep it) but offers nothing for it: a passkey is a
 * sign-in method of its own (Methods → Passkey), not a second factor after a password.
 */
export const FACTORS = [ 'totp', 'sms' ];

/**
 * The name of an MFA factor.
 *
 * @param {string} factor A value of FACTORS.
 * @return {string} Its name.
 */
export function factorName( factor ) {
	switch ( factor ) {
		case 'totp':
			return __( 'Authenticator app (TOTP)', 'workos' );
		case 'sms':
			return __( 'Text message (SMS)', 'workos' );
		case 'webauthn':
			return __( 'Security key (WebAuthn)', 'workos' );
		default:
			return factor;
	}
}

/**
 * The name of a login mode.
 *
 * @param {string} mode `custom` or `authkit_redirect`.
 * @return {string} Its name.
 */
export function modeName( mode ) {
	return mode === 'authkit_redirect'
		? __( 'WorkOS-hosted (AuthKit)', 'workos' )
		: __( 'On this site', 'workos' );
}

/**
 * The name of a routing rule's matcher type.
 *
 * @param {string} type `redirect_to`, `referrer_host` or `user_role`.
 * @return {string} Its name.
 */
export function matcherName( type ) {
	switch ( type ) {
		case 'referrer_host':
			return __( 'Came from the site (referrer host)', 'workos' );
		case 'user_role':
			return __( 'Signed-in user has the role', 'workos' );
		default:
			return __( 'Destination (redirect_to path) matches', 'workos' );
	}
}
