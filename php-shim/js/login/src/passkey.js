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

import { fromB64u, toB64u } from '../../shared/src/b64url';
import { ApiError } from './api';

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
 * The whole passkey sign-in: options, the browser's prompt, verification.
 *
 * @param {Object} client The api.js client (createClient()).
 * @param {Object} config The shell's config (redirectTo).
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
	// The hosted login's client: profile, this browser's nonce (renewed once if stale), JSON body.
	const { options } = await client.post( 'passkey/login/options', {} );
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
	return client.post( 'passkey/login/verify', {
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
