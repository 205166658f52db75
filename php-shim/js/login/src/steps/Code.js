/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * A code from an email: the sign-in code (step "code") or the email-verification code WorkOS
 * sends when an unverified address signs in (step "verify", continuing a pending token).
 */
import { createElement, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	CodeField,
	PrimaryButton,
	SecondaryButton,
	StepForm,
	sixDigits,
} from './parts';

/**
 * Asks for a sign-in code for `email` and moves to the code step.
 *
 * @param {Object} shell The shell.
 * @param {string} email The address.
 */
export function sendCode( shell, email ) {
	shell.run( async () => {
		await shell.client.magicSend( { email } );
		shell.go(
			'code',
			{},
			sprintf(
				/* translators: %s: email address */
				__( 'If %s can sign in here, a code is on its way.', 'workos' ),
				email
			)
		);
	} );
}

export default function Code( { shell } ) {
	const verify = 'verify' === shell.step;
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
				await shell.client.magicVerify( {
					email: shell.email,
					code: typed,
					pendingAuthenticationToken: verify
						? shell.data.pendingToken
						: undefined,
					redirectTo: shell.config.redirectTo,
				} )
			)
		);
	};
	// A new email-verification code: WorkOS sends one with each password sign-in that needs it.
	const resend = () => {
		setCode( '' );
		if ( ! verify ) {
			sendCode( shell, shell.email );
			return;
		}
		shell.run( async () =>
			shell.finish(
				await shell.client.passwordAuthenticate( {
					email: shell.email,
					password: shell.data.password,
					redirectTo: shell.config.redirectTo,
				} ),
				{ password: shell.data.password }
			)
		);
	};
	return (
		<StepForm onSubmit={ onSubmit }>
			<CodeField
				shell={ shell }
				id="wa-code"
				label={
					verify
						? __( 'Verification code', 'workos' )
						: __( 'Sign-in code', 'workos' )
				}
				value={ code }
				onChange={ setCode }
			/>
			<PrimaryButton shell={ shell }>
				{ verify
					? __( 'Verify and sign in', 'workos' )
					: __( 'Sign in', 'workos' ) }
			</PrimaryButton>
			{ ( ! verify || shell.data.password ) && (
				<SecondaryButton shell={ shell } onClick={ resend }>
					{ __( 'Send a new code', 'workos' ) }
				</SecondaryButton>
			) }
		</StepForm>
	);
}
