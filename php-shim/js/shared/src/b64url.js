/*
 * Base64url (RFC 4648 §5, no padding) to and from bytes: how WebAuthn's binary fields travel as JSON
 * (webauthn-rs reads and writes them so). One copy for the apps that speak WebAuthn: the login shell's
 * passkey sign-in (js/login/src/passkey.js) and Users → Profile → Passkeys (js/passkey/src/index.js).
 * scripts/js-build.sh counts php-shim/js/shared in every app's build stamp.
 */

/**
 * Base64url (no padding) → ArrayBuffer.
 *
 * @param {string} value Base64url text.
 * @return {ArrayBuffer} Bytes.
 */
export function fromB64u( value ) {
	const b64 = String( value ).replace( /-/g, '+' ).replace( /_/g, '/' );
	const bin = window.atob( b64 + '==='.slice( ( b64.length + 3 ) % 4 ) );
	const out = new Uint8Array( bin.length );
	for ( let i = 0; i < bin.length; i++ ) {
		out[ i ] = bin.charCodeAt( i );
	}
	return out.buffer;
}

/**
 * ArrayBuffer → base64url (no padding).
 *
 * @param {ArrayBuffer} buffer Bytes.
 * @return {string} Base64url text.
 */
export function toB64u( buffer ) {
	const bytes = new Uint8Array( buffer );
	let bin = '';
	for ( let i = 0; i < bytes.length; i++ ) {
		bin += String.fromCharCode( bytes[ i ] );
	}
	return window
		.btoa( bin )
		.replace( /\+/g, '-' )
		.replace( /\//g, '_' )
		.replace( /=+$/, '' );
}
