/**
 * The hosted login's REST client: one fetch wrapper for /wp-json/workos/v1/auth/*.
 *
 * Every POST carries the profile slug and the profile-scoped nonce (header X-WorkOS-Nonce, fetched
 * once from GET auth/nonce and fetched again once when the server says it expired); bodies are
 * JSON; WordPress REST errors ({code, message, data:{status}}) become an ApiError so the shell can
 * show the server's message or a generic one. The route names are those of the reference plugin.
 */
import { __ } from '@wordpress/i18n';

import { HEADER as RADAR_HEADER } from './radar';

export const ROUTES = Object.freeze( {
	nonce: 'nonce',
	passwordAuthenticate: 'password/authenticate',
	magicSend: 'magic/send',
	magicVerify: 'magic/verify',
	oauthAuthorizeUrl: 'oauth/authorize-url',
	organizationSelect: 'organization/select',
} );

export const NONCE_HEADER = 'X-WorkOS-Nonce';
const INVALID_NONCE = 'workos_authkit_invalid_nonce';

export class ApiError extends Error {
	/**
	 * @param {string} code    WordPress error code (or workos_network_error / workos_bad_response).
	 * @param {string} message Message to show to the visitor.
	 * @param {number} status  HTTP status (0 when the request never got an answer).
	 * @param {Object} data    The error's `data` (retry_after, …).
	 */
	constructor( code, message, status = 0, data = {} ) {
		super( message );
		this.name = 'ApiError';
		this.code = code;
		this.status = status;
		this.data = data;
	}
}

/**
 * Turns a WordPress REST error body into an ApiError with a message fit for the visitor.
 *
 * @param {number} status HTTP status.
 * @param {*}      body   Parsed JSON body (or null).
 * @return {ApiError} The error.
 */
export function toApiError( status, body ) {
	const code =
		body && typeof body.code === 'string'
			? body.code
			: 'workos_http_' + status;
	const data =
		body && typeof body.data === 'object' && body.data ? body.data : {};
	if ( 429 === status ) {
		return new ApiError(
			code,
			__(
				'Too many attempts. Please wait a moment and try again.',
				'workos'
			),
			status,
			data
		);
	}
	if (
		body &&
		typeof body.message === 'string' &&
		body.message &&
		status < 500
	) {
		return new ApiError( code, body.message, status, data );
	}
	return new ApiError(
		code,
		__( 'Something went wrong. Please try again.', 'workos' ),
		status,
		data
	);
}

/**
 * A client bound to one profile.
 *
 * @param {Object}   options
 * @param {string}   options.restBase Absolute URL of …/wp-json/workos/v1/auth/ (trailing slash).
 * @param {string}   options.profile  Profile slug.
 * @param {Function} [options.fetch]  fetch implementation (tests).
 * @param {Function} [options.radar]  async () => Radar action token ('' = none; radar.js).
 * @return {Object} The route functions.
 */
export function createClient( { restBase, profile, fetch: fetchImpl, radar } ) {
	const doFetch = fetchImpl || window.fetch.bind( window );
	const base = restBase.endsWith( '/' ) ? restBase : restBase + '/';
	let nonce = null;

	const url = ( route, query = {} ) => {
		const u = new URL( base + route, window.location.href );
		Object.entries( { profile, ...query } ).forEach( ( [ k, v ] ) => {
			if ( v !== undefined && v !== null && v !== '' ) {
				u.searchParams.set( k, String( v ) );
			}
		} );
		return u.toString();
	};

	const send = async ( input, init ) => {
		// Every auth call carries Radar's action token when Radar is on (the server forwards it).
		const radarToken = radar ? await radar() : '';
		let response;
		try {
			response = await doFetch( input, {
				credentials: 'same-origin',
				...init,
				headers: {
					Accept: 'application/json',
					...( radarToken ? { [ RADAR_HEADER ]: radarToken } : {} ),
					...( init.headers || {} ),
				},
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
		if ( null === body || typeof body !== 'object' ) {
			throw toApiError( 502, null );
		}
		return body;
	};

	const get = ( route, query ) =>
		send( url( route, query ), { method: 'GET' } );

	const getNonce = async ( fresh = false ) => {
		if ( fresh || null === nonce ) {
			const body = await get( ROUTES.nonce );
			nonce = typeof body.nonce === 'string' ? body.nonce : '';
		}
		return nonce;
	};

	const post = async ( route, params, retried = false ) => {
		const token = await getNonce( retried );
		try {
			return await send( url( route, {} ).replace( /\?.*$/, '' ), {
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					[ NONCE_HEADER ]: token,
				},
				body: JSON.stringify( { profile, ...params } ),
			} );
		} catch ( e ) {
			// A page left open past the nonce's lifetime: fetch a new one, once.
			if (
				! retried &&
				e instanceof ApiError &&
				INVALID_NONCE === e.code
			) {
				return post( route, params, true );
			}
			throw e;
		}
	};

	return {
		nonce: () => getNonce(),
		// Any other route of the API (the account-lifecycle steps call theirs by name).
		get,
		post: ( route, params ) => post( route, params ),
		passwordAuthenticate: ( { email, password, redirectTo } ) =>
			post( ROUTES.passwordAuthenticate, {
				email,
				password,
				redirect_to: redirectTo,
			} ),
		magicSend: ( { email } ) => post( ROUTES.magicSend, { email } ),
		magicVerify: ( {
			email,
			code,
			pendingAuthenticationToken,
			redirectTo,
		} ) =>
			post( ROUTES.magicVerify, {
				email,
				code,
				pending_authentication_token: pendingAuthenticationToken,
				redirect_to: redirectTo,
			} ),
		organizationSelect: ( {
			pendingAuthenticationToken,
			organizationId,
			redirectTo,
		} ) =>
			post( ROUTES.organizationSelect, {
				pending_authentication_token: pendingAuthenticationToken,
				organization_id: organizationId,
				redirect_to: redirectTo,
			} ),
		oauthAuthorizeUrl: ( { provider, redirectTo } ) =>
			get( ROUTES.oauthAuthorizeUrl, {
				provider,
				redirect_to: redirectTo,
			} ),
	};
}
