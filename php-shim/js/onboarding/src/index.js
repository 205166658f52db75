/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Entry of WorkOS → Setup (WorkOS_WP\Admin\Onboarding): mounts the wizard into
 * #workos-onboarding-root with the configuration the page printed (window.workosOnboarding).
 */
import { createElement, createRoot, render } from '@wordpress/element';

import App from './App';
import './onboarding.css';

function mount() {
	const root = document.getElementById( 'workos-onboarding-root' );
	if ( ! root ) {
		return;
	}
	const app = <App initial={ window.workosOnboarding || {} } />;
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
