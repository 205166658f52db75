/**
 * The reference's account shortcodes on a theme's page (php-shim/src/Users/AccountShortcodes.php
 * prints the markup, and this script only where one rendered):
 *
 * - `.workos-change-email-form`: the new address goes to /workos/v1/users/{id}/email-change; WorkOS
 *   mails a code to it, which the form then asks for (/confirm), as the profile screen's panel does
 *   (php-shim/js/account). An administrator changing another user's address commits it at once.
 * - `.workos-pwreset-trigger`: /workos/v1/admin/users/{id}/password-reset has WorkOS email that
 *   account a reset link.
 *
 * Clicks and submits are delegated from the document, so markup added later works too.
 */
import { __, sprintf } from '@wordpress/i18n';

import { reauthUrl, restRequest } from '../../shared/src/rest';
import './shortcodes.css';

const config = window.workosAccountShortcodes || {};

/**
 * POSTs to a route under /workos/v1/.
 *
 * @param {string} path Route below the namespace.
 * @param {Object} body JSON body.
 * @return {Promise<Object>} The answer; throws an Error with the server's message.
 */
function post( path, body ) {
	return restRequest( config.restUrl + path, config.nonce, 'POST', body );
}

/**
 * Shows a message in a status element.
 *
 * @param {?Element} el    The status element.
 * @param {string}   text  The message.
 * @param {boolean}  error Whether it reports a failure.
 */
function say( el, text, error = false ) {
	if ( el ) {
		el.textContent = text;
		el.classList.toggle( 'is-error', error );
	}
}

/**
 * Runs `fn` with `form`'s controls disabled, reporting a failure in its status.
 *
 * @param {Element}  form   The form (or the button's wrapper).
 * @param {Element}  status Where to report.
 * @param {Function} fn     The work.
 */
async function busy( form, status, fn ) {
	const controls = form.querySelectorAll( 'button, input' );
	controls.forEach( ( c ) => ( c.disabled = true ) );
	form.setAttribute( 'aria-busy', 'true' );
	try {
		await fn();
	} catch ( e ) {
		say( status, e.message, true );
		const again = reauthUrl( e );
		if ( again && status ) {
			// "Sign in again first": the way to, after the message.
			const link = document.createElement( 'a' );
			link.href = again;
			link.textContent = __( 'Sign in again', 'workos' );
			status.append( ' ', link );
		}
	} finally {
		controls.forEach( ( c ) => ( c.disabled = false ) );
		form.removeAttribute( 'aria-busy' );
	}
}

/**
 * The code step: a field for the code WorkOS mailed to the new address, added to the form.
 *
 * @param {Element} form   The form.
 * @param {string}  masked The new address, mostly hidden.
 */
function showCodeStep( form, masked ) {
	let step = form.querySelector( '.workos-change-email-code-step' );
	if ( ! step ) {
		const id =
			form.querySelector( '.workos-change-email-input' ).id + '-code';
		step = document.createElement( 'div' );
		step.className = 'workos-change-email-code-step';
		step.innerHTML =
			'<p class="workos-change-email-code-help"></p>' +
			`<p><label for="${ id }"></label> <input id="${ id }" class="workos-change-email-code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="12"></p>` +
			'<p><button type="button" class="workos-change-email-confirm button button-primary wp-element-button"></button> ' +
			'<button type="button" class="workos-change-email-cancel button wp-element-button"></button></p>';
		step.querySelector( 'label' ).textContent = __( 'Code', 'workos' );
		step.querySelector( '.workos-change-email-confirm' ).textContent = __(
			'Confirm',
			'workos'
		);
		step.querySelector( '.workos-change-email-cancel' ).textContent = __(
			'Cancel change',
			'workos'
		);
		form.querySelector( '.workos-change-email-status' ).before( step );
	}
	step.querySelector( '.workos-change-email-code-help' ).textContent =
		sprintf(
			/* translators: %s: the new address, mostly hidden. */
			__(
				'We sent a code to %s. Enter it to finish the change.',
				'workos'
			),
			masked
		);
	form.classList.add( 'is-code-step' );
	const field = step.querySelector( '.workos-change-email-code' );
	field.value = '';
	field.focus();
}

/**
 * Back to the address step (after a change, or when it is cancelled).
 *
 * @param {Element} form The form.
 */
function closeCodeStep( form ) {
	const step = form.querySelector( '.workos-change-email-code-step' );
	if ( step ) {
		step.remove();
	}
	form.classList.remove( 'is-code-step' );
}

/**
 * The address changed: the page says so, or goes where the shortcode said.
 *
 * @param {Element} form    The form.
 * @param {string}  address The new address.
 */
function committed( form, address ) {
	closeCodeStep( form );
	form.querySelector( '.workos-change-email-input' ).value = '';
	form.querySelectorAll( '.workos-change-email-address' ).forEach(
		( el ) => ( el.textContent = address )
	);
	say(
		form.querySelector( '.workos-change-email-status' ),
		sprintf(
			/* translators: %s: the new email address. */
			__( 'The email address is now %s.', 'workos' ),
			address
		)
	);
	if ( form.dataset.redirectUrl ) {
		window.location.assign( form.dataset.redirectUrl );
	}
}

function startChange( form ) {
	const status = form.querySelector( '.workos-change-email-status' );
	const email = form
		.querySelector( '.workos-change-email-input' )
		.value.trim();
	if ( '' === email ) {
		say( status, __( 'Enter a valid email address.', 'workos' ), true );
		return;
	}
	say( status, '' );
	busy( form, status, async () => {
		const answer = await post(
			`users/${ form.dataset.userId }/email-change`,
			{ new_email: email }
		);
		if ( answer.committed ) {
			committed( form, answer.email );
		} else if ( answer.no_op ) {
			say( status, __( 'That is already the email address.', 'workos' ) );
		} else {
			showCodeStep( form, answer.masked_new_email );
		}
	} );
}

function confirmChange( form ) {
	const status = form.querySelector( '.workos-change-email-status' );
	const code = form.querySelector( '.workos-change-email-code' ).value.trim();
	say( status, '' );
	busy( form, status, async () => {
		const answer = await post(
			`users/${ form.dataset.userId }/email-change/confirm`,
			{ code }
		);
		committed( form, answer.email );
	} );
}

function cancelChange( form ) {
	const status = form.querySelector( '.workos-change-email-status' );
	busy( form, status, async () => {
		await post( `users/${ form.dataset.userId }/email-change/cancel`, {} );
		closeCodeStep( form );
		say( status, '' );
	} );
}

function sendReset( button ) {
	const wrap = button.closest( '.workos-pwreset' ) || button.parentElement;
	const status = wrap.querySelector( '.workos-pwreset-status' );
	say( status, '' );
	busy( wrap, status, async () => {
		const body = {};
		if ( button.dataset.redirectUrl ) {
			body.redirect_url = button.dataset.redirectUrl;
		}
		if ( button.dataset.profile ) {
			body.profile = button.dataset.profile;
		}
		const answer = await post(
			`admin/users/${ button.dataset.userId }/password-reset`,
			body
		);
		say(
			status,
			sprintf(
				/* translators: %s: the address, mostly hidden. */
				__(
					'A link to choose a new password was sent to %s.',
					'workos'
				),
				answer.email_hint
			)
		);
	} );
}

document.addEventListener( 'submit', ( event ) => {
	const form = event.target.closest( '.workos-change-email-form' );
	if ( ! form ) {
		return;
	}
	event.preventDefault();
	// Enter in the code field confirms; in the address field it sends.
	if ( form.classList.contains( 'is-code-step' ) ) {
		confirmChange( form );
	} else {
		startChange( form );
	}
} );

document.addEventListener( 'click', ( event ) => {
	const target = event.target.closest( 'button' );
	if ( ! target ) {
		return;
	}
	const form = target.closest( '.workos-change-email-form' );
	if ( target.classList.contains( 'workos-pwreset-trigger' ) ) {
		event.preventDefault();
		sendReset( target );
	} else if (
		form &&
		target.classList.contains( 'workos-change-email-confirm' )
	) {
		event.preventDefault();
		confirmChange( form );
	} else if (
		form &&
		target.classList.contains( 'workos-change-email-cancel' )
	) {
		event.preventDefault();
		cancelChange( form );
	}
} );

// A change already waiting for its code (the page was reloaded): straight to the code.
document
	.querySelectorAll( '.workos-change-email-form[data-pending]' )
	.forEach( ( form ) => {
		if ( form.dataset.pending ) {
			showCodeStep( form, form.dataset.pending );
		}
	} );
