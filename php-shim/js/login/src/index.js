/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Entry of the hosted login's shell: reads the root element's data attributes (printed by
 * WorkOS_WP\SignIn\Hosted\Shell) and hydrates the server-rendered markup in place.
 */
import { createElement, hydrate, hydrateRoot } from '@wordpress/element';

import App from './App';
import { createClient } from './api';
import './shell.css';

function readProfile( root ) {
	try {
		const profile = JSON.parse( root.dataset.profile || '{}' );
		return profile && typeof profile === 'object' ? profile : {};
	} catch {
		return {};
	}
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
	};
	const client = createClient( {
		restBase: config.restBase,
		profile: profile.slug || 'default',
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
	// WordPress 6.2+ ships React 18 (hydrateRoot); 6.1 ships React 17 (hydrate).
	if ( typeof hydrateRoot === 'function' ) {
		hydrateRoot( root, app );
	} else {
		hydrate( app, root );
	}
}

const root = document.getElementById( 'workos-authkit-root' );
if ( root ) {
	mount( root );
}
