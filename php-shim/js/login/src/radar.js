/**
 * WorkOS Radar in the shell: with a site key (WORKOS_RADAR_SITE_KEY, printed by Shell.php as
 * `data-radar-site-key`) the page loads Radar's SDK (script id `workos-radar-sdk`, the reference's)
 * and every call of the auth API carries the SDK's action token in `X-WorkOS-Radar-Action-Token`
 * (api.js), which the server forwards to WorkOS. Without a key nothing loads and no header is sent.
 *
 * The SDK is `window.WorkOSRadar`; the token is asked for with the reference's action name. Which
 * method gives it is WorkOS's SDK's business: `getActionToken( action )` is used when it is there,
 * else `getToken( action )`. A missing, slow or failing SDK never holds a sign-in up: after
 * TOKEN_WAIT_MS the call goes without a token.
 */

export const SDK_URL = 'https://radar.workos.com/v1/radar.js';
export const SCRIPT_ID = 'workos-radar-sdk';
export const ACTION = 'authkit_signin';
export const HEADER = 'X-WorkOS-Radar-Action-Token';
const TOKEN_WAIT_MS = 1500;
const MAX_TOKEN = 2048;

/**
 * Adds the SDK's script to the page (once).
 *
 * @param {string} siteKey The site key.
 */
export function loadRadar( siteKey ) {
	if ( ! siteKey || document.getElementById( SCRIPT_ID ) ) {
		return;
	}
	const script = document.createElement( 'script' );
	script.id = SCRIPT_ID;
	script.src = SDK_URL;
	script.async = true;
	script.dataset.siteKey = siteKey;
	document.head.appendChild( script );
}

/**
 * A function that answers the current action token ('' when there is none), for api.js.
 *
 * @param {string} siteKey The site key ('' = Radar off: always '').
 * @return {Function} async () => string
 */
export function radarTokens( siteKey ) {
	return async () => {
		const radar = window.WorkOSRadar;
		if ( ! siteKey || ! radar ) {
			return '';
		}
		let ask = null;
		if ( typeof radar.getActionToken === 'function' ) {
			ask = () => radar.getActionToken( ACTION );
		} else if ( typeof radar.getToken === 'function' ) {
			ask = () => radar.getToken( ACTION );
		}
		if ( ! ask ) {
			return '';
		}
		let timer;
		try {
			const token = await Promise.race( [
				Promise.resolve().then( ask ),
				new Promise( ( resolve ) => {
					timer = setTimeout( () => resolve( '' ), TOKEN_WAIT_MS );
				} ),
			] );
			return typeof token === 'string' && token.length <= MAX_TOKEN
				? token
				: '';
		} catch {
			return '';
		} finally {
			clearTimeout( timer );
		}
	};
}
