/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Entry of WorkOS → Login Profiles (WorkOS_WP\Admin\ProfilesPage): mounts the app into
 * #workos-profiles-root with the configuration the page printed (window.workosProfileAdmin).
 */
import { createElement, createRoot, render } from '@wordpress/element';

import App from './App';
import './editor.css';

function mount() {
	const root = document.getElementById( 'workos-profiles-root' );
	if ( ! root ) {
		return;
	}
	const config = window.workosProfileAdmin || {};
	const app = <App config={ config } />;
	root.textContent = '';
	// createRoot from WordPress 6.2 (React 18); render before.
	if ( typeof createRoot === 'function' ) {
		createRoot( root ).render( app );
	} else {
		render( app, root );
	}
}

if ( document.readyState === 'loading' ) {
	document.addEventListener( 'DOMContentLoaded', mount );
} else {
	mount();
}
