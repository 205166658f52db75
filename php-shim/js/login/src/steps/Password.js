/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The password of the address typed, checked by WorkOS.
 */
import { createElement, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import {
	LinkButton,
	PasswordField,
	PrimaryButton,
	SecondaryButton,
	StepForm,
} from './parts';
import { sendCode } from './Code';
import { resetOffered } from './Reset';

export default function Password( { shell } ) {
	const [ password, setPassword ] = useState( '' );
	const onSubmit = () => {
		shell.setFieldOk( false );
		if ( '' === password ) {
			shell.setError( __( 'Enter your password.', 'workos' ) );
			return;
		}
		shell.run( async () =>
			shell.finish(
				await shell.client.passwordAuthenticate( {
					email: shell.email,
					password,
					redirectTo: shell.config.redirectTo,
				} ),
				// An email-verification step re-sends its code by signing in again.
				{ password }
			)
		);
	};
	return (
		<StepForm onSubmit={ onSubmit }>
			<PasswordField
				shell={ shell }
				id="wa-password"
				label={ __( 'Password', 'workos' ) }
				name="password"
				autoComplete="current-password"
				value={ password }
				onChange={ setPassword }
				first
			/>
			<PrimaryButton shell={ shell }>
				{ __( 'Sign in', 'workos' ) }
			</PrimaryButton>
			{ shell.methods.includes( 'magic_code' ) && (
				<SecondaryButton
					shell={ shell }
					onClick={ () => sendCode( shell, shell.email ) }
				>
					{ __( 'Email me a sign-in code instead', 'workos' ) }
				</SecondaryButton>
			) }
			{ resetOffered( shell ) && (
				<p className="wa-links">
					<LinkButton
						onClick={ () =>
							shell.go( 'reset', { email: shell.email } )
						}
					>
						{ __( 'Forgot your password?', 'workos' ) }
					</LinkButton>
				</p>
			) }
		</StepForm>
	);
}
