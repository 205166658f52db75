/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The password reset (the password lives at WorkOS): "reset" asks for the address and has WorkOS
 * email a link, "reset_sent" says so, and "reset_confirm" — where the link opens, with its token
 * (Reset::entry_context() on the server) — sets the new password, then signs in when the profile
 * says so (auto_login_after_reset) or goes back to the password step.
 */
import { createElement, useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	EMAIL,
	Field,
	LinkButton,
	PasswordField,
	PrimaryButton,
	StepForm,
} from './parts';

/** Error codes of a link that cannot be used (any more): a new one is the way on. */
const SPENT = [
	'workos_authkit_reset_token_invalid',
	'workos_authkit_reset_token_expired',
];

/**
 * Whether the profile resets passwords in the shell (the server refuses otherwise).
 *
 * @param {Object} shell The shell.
 * @return {boolean} Offered.
 */
export function resetOffered( shell ) {
	return (
		shell.methods.includes( 'password' ) &&
		false !== shell.profile.password_reset_flow
	);
}

/**
 * The redirect_url the reset routes take: where the visitor was going, when the page says.
 *
 * @param {Object} shell The shell.
 * @return {string|undefined} Target.
 */
function target( shell ) {
	return shell.config.redirectTo || undefined;
}

/**
 * "reset": the address to send a link to.
 *
 * @param {Object} props
 * @param {Object} props.shell The shell.
 */
export default function Reset( { shell } ) {
	const [ email, setEmail ] = useState(
		String( shell.data.email || shell.email || '' )
	);
	const onSubmit = () => {
		shell.setFieldOk( false );
		const value = email.trim();
		if ( ! EMAIL.test( value ) ) {
			shell.setError( __( 'Enter a valid email address.', 'workos' ) );
			return;
		}
		shell.setEmail( value );
		shell.run( async () => {
			await shell.client.post( 'password/reset/start', {
				email: value,
				redirect_url: target( shell ),
			} );
			shell.go(
				'reset_sent',
				{ email: value },
				sprintf(
					/* translators: %s: email address */
					__(
						'If %s has an account, a link to choose a new password is on its way. Check your email.',
						'workos'
					),
					value
				)
			);
		} );
	};
	return (
		<StepForm onSubmit={ onSubmit }>
			<p className="wa-step-title">
				{ __( 'Reset your password', 'workos' ) }
			</p>
			<p className="wa-intro">
				{ __(
					'Enter your email address and we will send you a link to choose a new password.',
					'workos'
				) }
			</p>
			<Field
				id="wa-reset-email"
				label={ __( 'Email address', 'workos' ) }
				inputRef={ shell.firstInput }
				name="email"
				type="email"
				autoComplete="username"
				inputMode="email"
				required
				value={ email }
				onChange={ ( e ) => setEmail( e.target.value ) }
				aria-invalid={ shell.invalid }
				aria-describedby={ shell.describedBy }
			/>
			<PrimaryButton shell={ shell }>
				{ __( 'Send reset link', 'workos' ) }
			</PrimaryButton>
			<p className="wa-links">
				<LinkButton onClick={ () => shell.go( 'email' ) }>
					{ __( 'Back to sign in', 'workos' ) }
				</LinkButton>
			</p>
		</StepForm>
	);
}
Reset.showsIdentity = false;

/**
 * "reset_sent": the link is on its way (the status says so, whether or not the address has an
 * account); back to sign in, or another link.
 *
 * @param {Object} props
 * @param {Object} props.shell The shell.
 */
export function ResetSent( { shell } ) {
	return (
		<div className="wa-form">
			<button
				className="wa-button wa-button-secondary"
				type="button"
				ref={ shell.firstInput }
				onClick={ () => shell.go( 'email' ) }
			>
				{ __( 'Back to sign in', 'workos' ) }
			</button>
			<p className="wa-links">
				<LinkButton
					onClick={ () =>
						shell.go( 'reset', { email: shell.data.email } )
					}
				>
					{ __( 'Send another link', 'workos' ) }
				</LinkButton>
			</p>
		</div>
	);
}
ResetSent.showsIdentity = false;

/**
 * "reset_confirm": the new password, with the link's token.
 *
 * @param {Object} props
 * @param {Object} props.shell The shell.
 */
export function ResetConfirm( { shell } ) {
	const token = String( shell.data.token || '' );
	const [ password, setPassword ] = useState( '' );
	const [ again, setAgain ] = useState( '' );
	// The link cannot be used (any more): only a new one helps.
	const [ spent, setSpent ] = useState( '' === token );

	useEffect( () => {
		// The token is a key to the account: off the address bar (history, bookmarks, screenshots).
		try {
			const url = new URL( window.location.href );
			if ( url.searchParams.has( 'token' ) ) {
				url.searchParams.delete( 'token' );
				url.searchParams.delete( 'workos_action' );
				window.history.replaceState(
					window.history.state,
					'',
					url.toString()
				);
			}
		} catch {
			// An old browser keeps the address as it is.
		}
		if ( '' === token ) {
			shell.setFieldOk( true );
			shell.setError(
				__(
					'This link is not valid or was already used. Ask for a new one below.',
					'workos'
				)
			);
		}
	}, [] ); // eslint-disable-line react-hooks/exhaustive-deps

	// A link found spent after submitting: the keyboard goes to the way on (the form is gone).
	useEffect( () => {
		if ( spent && '' !== token && shell.firstInput.current ) {
			shell.firstInput.current.focus();
		}
	}, [ spent ] ); // eslint-disable-line react-hooks/exhaustive-deps

	const onSubmit = () => {
		shell.setFieldOk( false );
		if ( '' === password ) {
			shell.setError( __( 'Enter a new password.', 'workos' ) );
			return;
		}
		if ( password !== again ) {
			shell.setError( __( 'The two passwords do not match.', 'workos' ) );
			return;
		}
		shell.run( async () => {
			let result;
			try {
				result = await shell.client.post( 'password/reset/confirm', {
					token,
					new_password: password,
					redirect_url: target( shell ),
				} );
			} catch ( e ) {
				if ( e && SPENT.includes( e.code ) ) {
					setSpent( true );
					shell.setFieldOk( true );
				}
				throw e;
			}
			if (
				result.signed_in ||
				result.mfa_required ||
				result.email_verification_required ||
				result.organization_selection_required
			) {
				// Signed in (or a step of the sign-in to continue), as after any sign-in.
				shell.finish( result, { password } );
				return;
			}
			if ( result.email ) {
				shell.setEmail( String( result.email ) );
			}
			shell.go(
				result.email ? 'password' : 'email',
				{},
				__(
					'Your password has been changed. Sign in with your new password.',
					'workos'
				)
			);
			if ( result.sign_in_error && result.sign_in_error.message ) {
				// Changed all the same; why signing in did not follow (e.g. a deactivated account).
				shell.setFieldOk( true );
				shell.setError( String( result.sign_in_error.message ) );
			}
		} );
	};

	if ( spent ) {
		return (
			<div className="wa-form">
				<p className="wa-step-title">
					{ __( 'Reset your password', 'workos' ) }
				</p>
				<button
					className="wa-button wa-button-secondary"
					type="button"
					ref={ shell.firstInput }
					onClick={ () =>
						shell.go( 'reset', { email: shell.email } )
					}
				>
					{ __( 'Ask for a new link', 'workos' ) }
				</button>
				<p className="wa-links">
					<LinkButton onClick={ () => shell.go( 'email' ) }>
						{ __( 'Back to sign in', 'workos' ) }
					</LinkButton>
				</p>
			</div>
		);
	}
	return (
		<StepForm onSubmit={ onSubmit }>
			<p className="wa-step-title">
				{ __( 'Choose a new password', 'workos' ) }
			</p>
			<PasswordField
				shell={ shell }
				id="wa-new-password"
				label={ __( 'New password', 'workos' ) }
				name="new_password"
				autoComplete="new-password"
				value={ password }
				onChange={ setPassword }
				first
			/>
			<PasswordField
				shell={ shell }
				id="wa-new-password-again"
				label={ __( 'Confirm new password', 'workos' ) }
				name="new_password_again"
				autoComplete="new-password"
				value={ again }
				onChange={ setAgain }
			/>
			<PrimaryButton shell={ shell }>
				{ __( 'Set new password', 'workos' ) }
			</PrimaryButton>
		</StepForm>
	);
}
ResetConfirm.showsIdentity = false;
