/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Passkey sign-in for the shell: the button (same markup as
 * php-shim/src/Passkeys/LoginButton.php prints) and the ceremony against
 * /workos/v1/auth/passkey/login/*. The server keeps the ceremony state; the
 * browser only ever sees the options and sends back the authenticator's answer.
 */
import { createElement } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { ApiError, NONCE_HEADER, toApiError } from './api';

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

/**
 * The server's request options, with binary fields as ArrayBuffers.
 *
 * @param {Object} options publicKey options (base64url fields).
 * @return {Object} Options for navigator.credentials.get().
 */
export function requestOptions( options ) {
	return {
		...options,
		challenge: fromB64u( options.challenge ),
		allowCredentials: ( options.allowCredentials || [] ).map( ( c ) => ( {
			...c,
			id: fromB64u( c.id ),
		} ) ),
	};
}

/**
 * An assertion as JSON with base64url fields (what webauthn-rs reads).
 *
 * @param {PublicKeyCredential} credential The authenticator's answer.
 * @return {Object} JSON-able credential.
 */
export function assertionJSON( credential ) {
	const r = credential.response;
	return {
		id: credential.id,
		rawId: toB64u( credential.rawId ),
		type: credential.type,
		response: {
			authenticatorData: toB64u( r.authenticatorData ),
			clientDataJSON: toB64u( r.clientDataJSON ),
			signature: toB64u( r.signature ),
			userHandle: r.userHandle ? toB64u( r.userHandle ) : null,
		},
		extensions: credential.getClientExtensionResults
			? credential.getClientExtensionResults()
			: {},
	};
}

/**
 * POSTs to a passkey route with the profile and its nonce.
 *
 * @param {Object} client The api.js client (for the nonce).
 * @param {Object} config The shell's config (restBase, profile).
 * @param {string} route  Route under passkey/.
 * @param {Object} params Body.
 * @return {Promise<Object>} The JSON answer.
 */
async function post( client, config, route, params ) {
	const base = config.restBase.endsWith( '/' )
		? config.restBase
		: config.restBase + '/';
	const nonce = await client.nonce();
	let response;
	try {
		response = await window.fetch( base + 'passkey/' + route, {
			method: 'POST',
			credentials: 'same-origin',
			headers: {
				Accept: 'application/json',
				'Content-Type': 'application/json',
				[ NONCE_HEADER ]: nonce,
			},
			body: JSON.stringify( { profile: config.profile.slug, ...params } ),
		} );
	} catch {
		throw new ApiError(
			'workos_network_error',
			__(
				'The site could not be reached. Check your connection and try again.',
				'workos'
			)
		);
	}
	let body = null;
	try {
		body = await response.json();
	} catch {
		body = null;
	}
	if ( ! response.ok ) {
		throw toApiError( response.status, body );
	}
	return body || {};
}

/**
 * The whole passkey sign-in: options, the browser's prompt, verification.
 *
 * @param {Object} client The api.js client.
 * @param {Object} config The shell's config.
 * @return {Promise<Object>} The login result (redirect_to …).
 */
export async function passkeySignIn( client, config ) {
	if ( ! window.PublicKeyCredential || ! navigator.credentials ) {
		throw new ApiError(
			'workos_passkey_unsupported',
			__(
				'This browser cannot use passkeys. Use another sign-in method.',
				'workos'
			)
		);
	}
	const { options } = await post( client, config, 'login/options', {} );
	let credential;
	try {
		credential = await navigator.credentials.get( {
			publicKey: requestOptions( options ),
		} );
	} catch {
		throw new ApiError(
			'workos_passkey_cancelled',
			__(
				'No passkey was used. Try again, or use another sign-in method.',
				'workos'
			)
		);
	}
	return post( client, config, 'login/verify', {
		credential: assertionJSON( credential ),
		redirect_to: config.redirectTo,
	} );
}

/**
 * The button (markup identical to Passkeys\LoginButton::markup()).
 *
 * @param {Object}   props
 * @param {boolean}  props.divider  Print the "or" divider above it.
 * @param {boolean}  props.disabled Disabled while busy.
 * @param {Function} props.onClick  Click handler.
 */
export function PasskeyButton( { divider, disabled, onClick } ) {
	return (
		<div className="wa-passkey">
			{ divider ? (
				<p className="wa-divider">
					<span>{ __( 'or', 'workos' ) }</span>
				</p>
			) : null }
			<button
				className="wa-button wa-button-secondary"
				type="button"
				data-method="passkey"
				disabled={ disabled }
				onClick={ onClick }
			>
				{ __( 'Sign in with a passkey', 'workos' ) }
			</button>
		</div>
	);
}
