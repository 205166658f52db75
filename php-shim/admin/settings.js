/**
 * Settings → WorkOS: the Test connection button. Sends the credentials typed
 * in the form (saved or not) to admin-ajax (SettingsCheck::test_connection(),
 * which runs the plugin's one ConnectionCheck) and shows each check with the
 * time WorkOS took. A plain script without a build step: strings go through
 * @wordpress/i18n (the `wp-i18n` dependency).
 */
/* global wp */
( function () {
	'use strict';

	const { __, sprintf } = wp.i18n;

	const STATUS = {
		good: [ 'yes-alt', __( 'Passed', 'workos' ) ],
		failed: [ 'dismiss', __( 'Failed', 'workos' ) ],
		unreachable: [ 'warning', __( 'Not confirmed', 'workos' ) ],
		skipped: [ 'minus', __( 'Not checked', 'workos' ) ],
	};

	/**
	 * A control of the environment's credentials, unless a constant locks it
	 * (the server then uses the configured value).
	 *
	 * @param {HTMLFormElement} form Settings form.
	 * @param {string}          env  Environment.
	 * @param {string}          key  Setting key.
	 * @return {HTMLInputElement|null} The control.
	 */
	function control( form, env, key ) {
		const el = form.querySelector( '[name="workos_settings[environments][' + env + '][' + key + ']"]' );
		return el && ! el.disabled ? el : null;
	}

	/**
	 * An element with text.
	 *
	 * @param {string} tag       Tag name.
	 * @param {string} className Class.
	 * @param {string} text      Text.
	 * @return {HTMLElement} The element.
	 */
	function el( tag, className, text ) {
		const node = document.createElement( tag );
		if ( className ) {
			node.className = className;
		}
		if ( text ) {
			node.textContent = text;
		}
		return node;
	}

	/**
	 * Shows a result (or a failure to get one) in the button's live region.
	 *
	 * @param {HTMLElement} region Where.
	 * @param {Object}      body   The endpoint's answer.
	 */
	function show( region, body ) {
		region.textContent = '';
		region.className = 'workos-test-result ' + ( body.ok ? 'is-ok' : 'is-failed' );
		const summary = body.ok
			/* translators: %d: milliseconds. */
			? sprintf( __( 'Connected: WorkOS accepted these settings in %d ms.', 'workos' ), body.ms )
			/* translators: %d: milliseconds. */
			: sprintf( __( 'Not connected (%d ms). See below what to fix.', 'workos' ), body.ms );
		const heading = el( 'p', 'workos-test-summary' );
		heading.appendChild( el( 'strong', '', summary ) );
		region.appendChild( heading );
		const list = el( 'ul', 'workos-test-checks' );
		( body.checks || [] ).forEach( function ( check ) {
			const status = STATUS[ check.status ] || STATUS.skipped;
			const item = el( 'li', 'is-' + ( check.status || 'skipped' ) );
			const icon = el( 'span', 'dashicons dashicons-' + status[ 0 ] );
			icon.setAttribute( 'aria-hidden', 'true' );
			item.appendChild( icon );
			// Label and message wrap together beside the icon, at any width.
			const text = el( 'span', 'workos-test-check' );
			text.appendChild( el( 'span', 'screen-reader-text', status[ 1 ] + ': ' ) );
			text.appendChild( el( 'strong', '', check.label + ':' ) );
			text.appendChild( document.createTextNode( ' ' + check.message ) );
			item.appendChild( text );
			list.appendChild( item );
		} );
		region.appendChild( list );
	}

	/**
	 * Runs the check for the clicked button's environment.
	 *
	 * @param {HTMLButtonElement} button The Test connection button.
	 */
	function test( button ) {
		const form = button.closest( 'form' );
		const env = button.dataset.environment;
		const region = document.getElementById( button.id + '-result' );
		const data = new window.FormData();
		data.append( 'action', 'workos_test_connection' );
		data.append( '_ajax_nonce', button.dataset.nonce );
		data.append( 'environment', env );
		[ 'api_key', 'client_id', 'api_base_url' ].forEach( function ( key ) {
			const input = form ? control( form, env, key ) : null;
			if ( input ) {
				data.append( key, input.value );
			}
		} );
		button.disabled = true;
		button.setAttribute( 'aria-busy', 'true' );
		region.className = 'workos-test-result is-busy';
		region.textContent = __( 'Asking WorkOS…', 'workos' );
		window
			.fetch( window.ajaxurl, { method: 'POST', credentials: 'same-origin', body: data } )
			.then( function ( response ) {
				return response.json().then( function ( body ) {
					if ( ! response.ok || ! Array.isArray( body.checks ) ) {
						throw new Error( body.message || response.statusText );
					}
					show( region, body );
				} );
			} )
			.catch( function ( error ) {
				region.className = 'workos-test-result is-failed';
				/* translators: %s: the error. */
				region.textContent = sprintf( __( 'The test could not run: %s', 'workos' ), error.message );
			} )
			.finally( function () {
				button.disabled = false;
				button.removeAttribute( 'aria-busy' );
			} );
	}

	document.addEventListener( 'click', function ( event ) {
		const button = event.target.closest( '.workos-test-connection' );
		if ( button ) {
			event.preventDefault();
			test( button );
		}
	} );
} )();
