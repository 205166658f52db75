/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * An invitation link (`?invitation_token=` on the login page): whom it invites and to which
 * organization, then its acceptance — a password for the new account (or the existing account's
 * password), or a social provider — which signs the invitee in as a member.
 */
import { createElement, useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { SOCIAL, socialLabel } from '../App';
import { Field, PrimaryButton, SecondaryButton, StepForm } from './parts';

/** The server's answer when the address has an account already: its password is asked instead. */
const ACCOUNT_EXISTS = 'workos_authkit_account_exists';

export default function Invitation( { shell } ) {
	const token = String( shell.data.token || '' );
	// null while looking it up; then {email, organization_name}, or false when it cannot be used.
	const [ invitation, setInvitation ] = useState( null );
	const [ firstName, setFirstName ] = useState( '' );
	const [ lastName, setLastName ] = useState( '' );
	const [ password, setPassword ] = useState( '' );
	// The address has an account: no names, and "its password" rather than "choose one".
	const [ existing, setExisting ] = useState( false );
	const { client, config, methods } = shell;

	useEffect( () => {
		let live = true;
		shell.setStatus( __( 'Looking up your invitation…', 'workos' ) );
		client
			.get( 'invitation/' + encodeURIComponent( token ) )
			.then( ( found ) => {
				if ( live ) {
					shell.setStatus( '' );
					shell.setEmail( String( found.email || '' ) );
					setInvitation( found );
				}
			} )
			.catch( ( e ) => {
				if ( live ) {
					shell.setStatus( '' );
					shell.setFieldOk( true );
					shell.setError(
						e && e.message
							? e.message
							: __(
									'Something went wrong. Please try again.',
									'workos'
								)
					);
					setInvitation( false );
				}
			} );
		return () => {
			live = false;
		};
	}, [] ); // eslint-disable-line react-hooks/exhaustive-deps

	// Once the invitation is known (and when its account's password is asked instead), the
	// keyboard starts in the first field.
	useEffect( () => {
		if ( invitation && shell.firstInput.current ) {
			shell.firstInput.current.focus();
		}
	}, [ invitation, existing ] ); // eslint-disable-line react-hooks/exhaustive-deps

	if ( null === invitation ) {
		return null;
	}
	if ( false === invitation ) {
		return (
			<SecondaryButton
				shell={ shell }
				onClick={ () => shell.go( 'email' ) }
			>
				{ __( 'Go to sign in', 'workos' ) }
			</SecondaryButton>
		);
	}

	const organization = String( invitation.organization_name || '' );
	const socials = SOCIAL.filter( ( m ) => methods.includes( m ) );
	const byPassword = methods.includes( 'password' );
	const onSubmit = () => {
		shell.setFieldOk( false );
		if ( '' === password ) {
			shell.setError(
				existing
					? __( 'Enter your password.', 'workos' )
					: __( 'Choose a password.', 'workos' )
			);
			return;
		}
		shell.run( async () => {
			try {
				shell.finish(
					await client.post( 'invitation/accept', {
						invitation_token: token,
						password,
						first_name: existing ? undefined : firstName,
						last_name: existing ? undefined : lastName,
						redirect_to: config.redirectTo,
					} ),
					// An email-verification step re-sends its code by signing in again.
					{ password }
				);
			} catch ( e ) {
				if ( e && ACCOUNT_EXISTS === e.code ) {
					setExisting( true );
					setPassword( '' );
				}
				throw e;
			}
		} );
	};
	const onSocial = ( provider ) =>
		shell.run( async () => {
			const result = await client.get( 'invitation/authorize-url', {
				provider,
				invitation_token: token,
				redirect_to: config.redirectTo,
			} );
			if ( ! result.authorize_url ) {
				throw new Error();
			}
			window.location.assign( result.authorize_url );
		} );

	return (
		<div className="wa-invitation">
			<p className="wa-intro">
				{ '' !== organization
					? sprintf(
							/* translators: %s: organization name */
							__( 'You have been invited to join %s.', 'workos' ),
							organization
						)
					: sprintf(
							/* translators: %s: site name */
							__( 'You have been invited to %s.', 'workos' ),
							config.siteName
						) }
			</p>
			{ byPassword ? (
				<StepForm onSubmit={ onSubmit }>
					<Field
						id="wa-invite-email"
						label={ __( 'Email address', 'workos' ) }
						name="email"
						type="email"
						autoComplete="username"
						readOnly
						value={ invitation.email }
					/>
					{ existing ? null : (
						<Field
							id="wa-first-name"
							label={ __( 'First name', 'workos' ) }
							inputRef={ shell.firstInput }
							name="first_name"
							type="text"
							autoComplete="given-name"
							value={ firstName }
							onChange={ ( e ) => setFirstName( e.target.value ) }
						/>
					) }
					{ existing ? null : (
						<Field
							id="wa-last-name"
							label={ __( 'Last name', 'workos' ) }
							name="last_name"
							type="text"
							autoComplete="family-name"
							value={ lastName }
							onChange={ ( e ) => setLastName( e.target.value ) }
						/>
					) }
					<Field
						id="wa-new-password"
						label={
							existing
								? __( 'Password', 'workos' )
								: __( 'Choose a password', 'workos' )
						}
						inputRef={ existing ? shell.firstInput : undefined }
						name="password"
						type="password"
						autoComplete={
							existing ? 'current-password' : 'new-password'
						}
						required
						value={ password }
						onChange={ ( e ) => setPassword( e.target.value ) }
						aria-invalid={ shell.invalid }
						aria-describedby={ shell.describedBy }
					/>
					<PrimaryButton shell={ shell }>
						{ __( 'Accept invitation', 'workos' ) }
					</PrimaryButton>
				</StepForm>
			) : null }
			{ socials.length > 0 ? (
				<div className="wa-social">
					{ byPassword ? (
						<p className="wa-divider">
							<span>{ __( 'or', 'workos' ) }</span>
						</p>
					) : null }
					{ socials.map( ( method ) => (
						<SecondaryButton
							shell={ shell }
							key={ method }
							data-provider={ method }
							onClick={ () => onSocial( method ) }
						>
							{ socialLabel( method ) }
						</SecondaryButton>
					) ) }
				</div>
			) : null }
		</div>
	);
}

// The invitation names its own address: no "you@… Use a different email" line.
Invitation.showsIdentity = false;
