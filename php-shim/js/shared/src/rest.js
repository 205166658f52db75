/**
 * The one way the profile-screen apps (change of email, two-step sign-in, passkeys) call the
 * site's REST API as the signed-in user: the cookie plus the REST nonce the page printed, JSON in
 * and out, and every refusal turned into an Error carrying the server's own message.
 */
import { __ } from '@wordpress/i18n';

/**
 * @param {string}  url    Full route URL.
 * @param {string}  nonce  The page's `wp_rest` nonce.
 * @param {string}  method HTTP method.
 * @param {?Object} body   JSON body, or null for none.
 * @return {Promise<Object>} The answer (an empty object when it has no body).
 */
export async function restRequest( url, nonce, method = 'GET', body = null ) {
	let response;
	try {
		response = await window.fetch( url, {
			method,
			credentials: 'same-origin',
			headers: {
				Accept: 'application/json',
				'Content-Type': 'application/json',
				'X-WP-Nonce': nonce,
			},
			body: null === body ? undefined : JSON.stringify( body ),
		} );
	} catch {
		throw new Error(
			__( 'The site could not be reached. Try again.', 'workos' )
		);
	}
	const data = await response.json().catch( () => null );
	if ( ! response.ok ) {
		const error = new Error(
			data && typeof data.message === 'string' && data.message
				? data.message
				: __( 'Something went wrong. Try again.', 'workos' )
		);
		// "Sign in again first" (workos_reauth_required) says where: the apps offer the link.
		error.loginUrl =
			data && data.data && typeof data.data.login_url === 'string'
				? data.data.login_url
				: '';
		throw error;
	}
	return data || {};
}

/**
 * Where a refusal asks the person to sign in again ('' for other refusals).
 *
 * @param {*} error What was thrown.
 * @return {string} The sign-in URL, or ''.
 */
export function reauthUrl( error ) {
	return error && typeof error.loginUrl === 'string' ? error.loginUrl : '';
}
