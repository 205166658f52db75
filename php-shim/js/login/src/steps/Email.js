/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The first step: the address. Its first render must be exactly the form Shell.php prints.
 */
import { createElement } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { EMAIL, Field, LinkButton, PrimaryButton, StepForm } from './parts';
import { sendCode } from './Code';
import { signupOffered } from './Signup';

export default function Email( { shell } ) {
	const { methods } = shell;
	const onSubmit = () => {
		shell.setFieldOk( false );
		const value = shell.email.trim();
		if ( ! EMAIL.test( value ) ) {
			shell.setError( __( 'Enter a valid email address.', 'workos' ) );
			return;
		}
		shell.setEmail( value );
		shell.setError( '' );
		if ( methods.includes( 'password' ) ) {
			shell.go( 'password' );
		} else if ( methods.includes( 'magic_code' ) ) {
			sendCode( shell, value );
		} else {
			shell.setError(
				__( 'Use one of the buttons below to sign in.', 'workos' )
			);
		}
	};
	return (
		<StepForm onSubmit={ onSubmit }>
			<Field
				id="wa-email"
				label={ __( 'Email address', 'workos' ) }
				inputRef={ shell.firstInput }
				name="email"
				type="email"
				autoComplete="username"
				inputMode="email"
				required
				value={ shell.email }
				onChange={ ( e ) => shell.setEmail( e.target.value ) }
				aria-invalid={ shell.invalid }
				aria-describedby={ shell.describedBy }
			/>
			<PrimaryButton shell={ shell }>
				{ __( 'Continue', 'workos' ) }
			</PrimaryButton>
			{ signupOffered( shell.profile, methods ) ? (
				<p className="wa-switch">
					<LinkButton onClick={ () => shell.go( 'signup' ) }>
						{ __( 'Create an account', 'workos' ) }
					</LinkButton>
				</p>
			) : null }
		</StepForm>
	);
}
