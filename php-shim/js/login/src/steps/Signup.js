/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Sign-up (steps "signup" and "signup_verify"): the new account's address, name and password
 * (signup/create), then the code WorkOS emails to verify the address (signup/verify), which
 * signs the new member in. Offered when the profile allows sign-up (signupOffered()).
 */
import { createElement, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	CodeField,
	EMAIL,
	Field,
	LinkButton,
	PrimaryButton,
	StepForm,
	sixDigits,
} from './parts';

/** The shortest password the server takes (SignupRest::MIN_PASSWORD). */
const MIN_PASSWORD = 8;

/**
 * Whether the profile lets a visitor create an account here: sign-up on, no invitation needed
 * (an invitee follows their invitation link), and passwords (the account's first credential).
 * The server decides the same (Signup::offered()); Shell.php prints the same link.
 *
 * @param {Object}   profile The profile (data-profile).
 * @param {string[]} methods Its sign-in methods.
 * @return {boolean} Offered.
 */
export function signupOffered( profile, methods ) {
	const signup = profile && profile.signup ? profile.signup : {};
	return (
		true === signup.enabled &&
		true !== signup.require_invite &&
		'authkit_redirect' !== profile.mode &&
		methods.includes( 'password' )
	);
}

export default function Signup( { shell } ) {
	const { client, config } = shell;
	const [ firstName, setFirstName ] = useState( '' );
	const [ lastName, setLastName ] = useState( '' );
	const [ password, setPassword ] = useState( '' );
	// Which field the error is about: the address, or (the server's refusals too) the password.
	const [ badEmail, setBadEmail ] = useState( false );

	const onSubmit = () => {
		shell.setFieldOk( false );
		const email = shell.email.trim();
		setBadEmail( ! EMAIL.test( email ) );
		if ( ! EMAIL.test( email ) ) {
			shell.setError( __( 'Enter a valid email address.', 'workos' ) );
			return;
		}
		if ( password.length < MIN_PASSWORD ) {
			shell.setError(
				sprintf(
					/* translators: %d: number of characters. */
					__(
						'Choose a password of at least %d characters.',
						'workos'
					),
					MIN_PASSWORD
				)
			);
			return;
		}
		shell.setEmail( email );
		shell.run( async () => {
			const params = {
				email,
				password,
				first_name: firstName.trim(),
				last_name: lastName.trim(),
				redirect_to: config.redirectTo,
			};
			if ( shell.data.invitationToken ) {
				params.invitation_token = shell.data.invitationToken;
			}
			const result = await client.post( 'signup/create', params );
			if (
				result &&
				result.verification_needed &&
				result.pending_authentication_token
			) {
				shell.go(
					'signup_verify',
					{ pendingToken: result.pending_authentication_token },
					sprintf(
						/* translators: %s: email address */
						__(
							'We have sent a code to %s. Enter it to finish creating your account.',
							'workos'
						),
						result.email || email
					)
				);
				return;
			}
			// Where WorkOS does not ask for the address to be verified: signed in already.
			shell.finish( result );
		} );
	};

	return (
		<div>
			<p className="wa-step-title">
				{ __( 'Create your account', 'workos' ) }
			</p>
			<StepForm onSubmit={ onSubmit }>
				<Field
					id="wa-signup-email"
					label={ __( 'Email address', 'workos' ) }
					inputRef={ shell.firstInput }
					name="email"
					type="email"
					autoComplete="email"
					inputMode="email"
					required
					value={ shell.email }
					onChange={ ( e ) => shell.setEmail( e.target.value ) }
					aria-invalid={ badEmail ? shell.invalid : undefined }
					aria-describedby={
						badEmail ? shell.describedBy : undefined
					}
				/>
				<Field
					id="wa-first-name"
					label={ __( 'First name', 'workos' ) }
					name="first_name"
					type="text"
					autoComplete="given-name"
					maxLength={ 100 }
					value={ firstName }
					onChange={ ( e ) => setFirstName( e.target.value ) }
				/>
				<Field
					id="wa-last-name"
					label={ __( 'Last name', 'workos' ) }
					name="last_name"
					type="text"
					autoComplete="family-name"
					maxLength={ 100 }
					value={ lastName }
					onChange={ ( e ) => setLastName( e.target.value ) }
				/>
				<Field
					id="wa-new-password"
					label={ __( 'Choose a password', 'workos' ) }
					name="password"
					type="password"
					autoComplete="new-password"
					required
					minLength={ MIN_PASSWORD }
					value={ password }
					onChange={ ( e ) => setPassword( e.target.value ) }
					aria-invalid={ badEmail ? undefined : shell.invalid }
					aria-describedby={
						shell.describedBy && ! badEmail
							? shell.describedBy + ' wa-password-hint'
							: 'wa-password-hint'
					}
				/>
				<p className="wa-hint" id="wa-password-hint">
					{ sprintf(
						/* translators: %d: number of characters. */
						__( 'At least %d characters.', 'workos' ),
						MIN_PASSWORD
					) }
				</p>
				<PrimaryButton shell={ shell }>
					{ __( 'Create account', 'workos' ) }
				</PrimaryButton>
			</StepForm>
			<p className="wa-switch">
				<LinkButton onClick={ shell.back }>
					{ __( 'Already have an account? Sign in', 'workos' ) }
				</LinkButton>
			</p>
		</div>
	);
}

// The step asks for the address itself: no "you@… Use a different email" line.
Signup.showsIdentity = false;

export function SignupVerify( { shell } ) {
	const [ code, setCode ] = useState( '' );
	const onSubmit = () => {
		shell.setFieldOk( false );
		const typed = sixDigits( code );
		if ( null === typed ) {
			shell.setError(
				__( 'Enter the 6-digit code from the email.', 'workos' )
			);
			return;
		}
		shell.run( async () =>
			shell.finish(
				await shell.client.post( 'signup/verify', {
					email: shell.email,
					code: typed,
					pending_authentication_token: shell.data.pendingToken,
					redirect_to: shell.config.redirectTo,
				} )
			)
		);
	};
	return (
		<div>
			<StepForm onSubmit={ onSubmit }>
				<CodeField
					shell={ shell }
					id="wa-code"
					label={ __( 'Verification code', 'workos' ) }
					value={ code }
					onChange={ setCode }
				/>
				<PrimaryButton shell={ shell }>
					{ __( 'Verify and sign in', 'workos' ) }
				</PrimaryButton>
			</StepForm>
			<p className="wa-hint">
				{ __(
					'No code? Check your spam folder. Codes expire after a while: signing in with your email and password sends a new one.',
					'workos'
				) }
			</p>
		</div>
	);
}
