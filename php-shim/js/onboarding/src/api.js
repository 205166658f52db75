/**
 * The wizard's REST client: Admin\OnboardingRest through wp.apiFetch (cookie + the REST nonce
 * WordPress's own apiFetch set-up supplies on admin screens).
 */
import apiFetch from '@wordpress/api-fetch';
import { __ } from '@wordpress/i18n';

// The site's wizard, or the network's (its routes under …/network on the main site): the page says which.
const BASE =
	( window.workosOnboarding && window.workosOnboarding.restPath ) ||
	'/workos/v1/admin/onboarding';

/**
 * A REST refusal as an Error with the server's message and the setting it is about.
 */
export class RestError extends Error {
	constructor( body ) {
		super(
			( body && body.message ) ||
				__(
					'The request failed. Check your connection and try again.',
					'workos'
				)
		);
		this.code = ( body && body.code ) || 'fetch_error';
		this.setting = ( body && body.data && body.data.setting ) || '';
	}
}

async function call( path, method = 'GET', data = undefined ) {
	try {
		return await apiFetch( { path: BASE + path, method, data } );
	} catch ( body ) {
		throw new RestError( body );
	}
}

export const getState = () => call( '' );
export const goTo = ( data ) => call( '', 'POST', data );
export const saveCredentials = ( data ) => call( '/credentials', 'POST', data );
export const listOrganizations = ( refresh ) =>
	call( '/organizations' + ( refresh ? '?refresh=1' : '' ) );
export const saveOrganization = ( data ) =>
	call( '/organization', 'POST', data );
export const webhookStatus = () => call( '/webhook' );
export const webhookListen = ( data ) => call( '/webhook', 'POST', data );
export const roleSlugs = () => call( '/roles' );
export const saveRoles = ( data ) => call( '/roles', 'POST', data );
export const syncCount = ( role ) =>
	call( '/sync' + ( role ? '?role=' + encodeURIComponent( role ) : '' ) );
export const syncBatch = ( data ) => call( '/sync', 'POST', data );
