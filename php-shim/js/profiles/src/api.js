/**
 * The editor's REST client: Profiles\AdminRest through wp.apiFetch (cookie + REST nonce, which
 * WordPress's own apiFetch set-up supplies on admin screens).
 */
import apiFetch from '@wordpress/api-fetch';
import { __ } from '@wordpress/i18n';

const BASE = '/workos/v1/admin/';

/**
 * A REST refusal as an Error with the server's code and field.
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
		this.field = ( body && body.data && body.data.field ) || '';
	}
}

async function call( options ) {
	try {
		return await apiFetch( { ...options, path: BASE + options.path } );
	} catch ( body ) {
		throw new RestError( body );
	}
}

export const listProfiles = () => call( { path: 'profiles' } );
export const getProfile = ( id ) => call( { path: 'profiles/' + id } );
export const createProfile = ( data ) =>
	call( { path: 'profiles', method: 'POST', data } );
export const updateProfile = ( id, data ) =>
	call( { path: 'profiles/' + id, method: 'PUT', data } );
export const deleteProfile = ( id ) =>
	call( { path: 'profiles/' + id, method: 'DELETE' } );
export const listOrganizations = ( refresh ) =>
	call( {
		path: 'profiles/organizations' + ( refresh ? '?refresh=1' : '' ),
	} );
export const getRouting = () => call( { path: 'profile-routing' } );
export const saveRouting = ( rules ) =>
	call( { path: 'profile-routing', method: 'PUT', data: { rules } } );
