/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Entry of the hosted login's shell: reads the root element's data attributes (printed by
 * WorkOS_WP\SignIn\Hosted\Shell) and hydrates the server-rendered markup in place.
 */
import {
	createElement,
	createRoot,
	hydrate,
	hydrateRoot,
	render,
} from '@wordpress/element';

import App from './App';
import { createClient } from './api';
import { loadRadar, radarTokens } from './radar';
import './shell.css';

function readProfile( root ) {
	try {
		const profile = JSON.parse( root.dataset.profile || '{}' );
		return profile && typeof profile === 'object' ? profile : {};
	} catch {
		return {};
	}
}

function readStepData( root ) {
	try {
		const data = JSON.parse( root.dataset.stepData || '{}' );
		return data && typeof data === 'object' ? data : {};
	} catch {
		return {};
	}
}

function readLoginForm( root ) {
	const printed = root.querySelector( '.wa-below-card > .wa-login-form' );
	return printed ? printed.innerHTML : '';
}

function mount( root ) {
	const profile = readProfile( root );
	const config = {
		profile,
		restBase: root.dataset.restBase || '/wp-json/workos/v1/auth/',
		redirectTo: root.dataset.redirectTo || '',
		siteName: root.dataset.siteName || '',
		// Inside a theme's page (the shortcode): a section with an h2, not main/h1.
		embedded: '1' === root.dataset.embedded,
		// The step the server chose to open on (an invitation, a reset link …) and what it needs.
		initialStep: root.dataset.initialStep || 'email',
		stepData: readStepData( root ),
		// What login_form hooks printed (Slots::below_card()): the app keeps showing it.
		loginForm: readLoginForm( root ),
	};
	const radarKey = root.dataset.radarSiteKey || '';
	loadRadar( radarKey );
	const client = createClient( {
		restBase: config.restBase,
		profile: profile.slug || 'default',
		radar: radarTokens( radarKey ),
	} );
	// Whatever the visitor typed before the script arrived is kept.
	const typed = root.querySelector( 'input[name="email"]' );
	const onMounted = () => {
		root.setAttribute( 'data-hydrated', 'true' );
		document.dispatchEvent(
			new window.CustomEvent( 'workos-authkit:mounted', {
				detail: { profileSlug: profile.slug || 'default' },
			} )
		);
	};
	const app = (
		<App
			config={ config }
			client={ client }
			initialEmail={ typed ? typed.value : '' }
			onMounted={ onMounted }
		/>
	);
	// Shell.php prints the email step only: any other first step is rendered, not hydrated.
	if ( 'email' !== config.initialStep ) {
		root.textContent = '';
		if ( typeof createRoot === 'function' ) {
			createRoot( root ).render( app );
		} else {
			render( app, root );
		}
		return;
	}
	// WordPress 6.2+ ships React 18 (hydrateRoot); 6.1 ships React 17 (hydrate).
	if ( typeof hydrateRoot === 'function' ) {
		hydrateRoot( root, app );
	} else {
		hydrate( app, root );
	}
}

// Once the page's scripts have all run: a plugin's script that fills the shell's slots (and brings
// wp.components / wp.plugins) may come after this one (src/slots.js).
function start() {
	const root = document.getElementById( 'workos-authkit-root' );
	if ( root ) {
		mount( root );
	}
}

if ( 'loading' === document.readyState ) {
	document.addEventListener( 'DOMContentLoaded', start );
} else {
	start();
}
