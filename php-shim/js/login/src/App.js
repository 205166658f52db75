/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * WordPress 6.1 (Debian's) has no `react-jsx-runtime` script, which @wordpress/scripts' automatic
 * JSX runtime would depend on: the classic runtime over wp.element's createElement works on every
 * WordPress version (scripts/js-build.sh refuses a build that depends on react-jsx-runtime).
 */
import { createElement, useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { ApiError } from './api';
import { PasskeyButton, passkeySignIn } from './passkey';

/** Social methods, in the order the buttons show; labels come from socialLabel(). */
export const SOCIAL = [
	'oauth_google',
	'oauth_microsoft',
	'oauth_github',
	'oauth_apple',
];

/**
 * The visible name of a social provider (the PHP renderer prints the same strings).
 *
 * @param {string} method One of SOCIAL.
 * @return {string} Button label.
 */
export function socialLabel( method ) {
	switch ( method ) {
		case 'oauth_google':
			return __( 'Continue with Google', 'workos' );
		case 'oauth_microsoft':
			return __( 'Continue with Microsoft', 'workos' );
		case 'oauth_github':
			return __( 'Continue with GitHub', 'workos' );
		default:
			return __( 'Continue with Apple', 'workos' );
	}
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function Field( { id, label, inputRef, ...input } ) {
	return (
		<div className="wa-field">
			<label className="wa-label" htmlFor={ id }>
				{ label }
			</label>
			<input
				className="wa-input"
				id={ id }
				ref={ inputRef }
				{ ...input }
			/>
		</div>
	);
}

/**
 * The shell. Its first render (step "email", no error) must produce exactly the markup that
 * php-shim/src/SignIn/Hosted/Shell.php prints, so hydration changes nothing on screen.
 *
 * @param {Object}   props
 * @param {Object}   props.config       From the root element's data attributes (see index.js).
 * @param {Object}   props.client       api.js client.
 * @param {string}   props.initialEmail What the visitor typed before the script ran.
 * @param {Function} props.onMounted    Called once after the first commit.
 */
export default function App( { config, client, initialEmail, onMounted } ) {
	const { profile } = config;
	const methods = Array.isArray( profile.methods ) ? profile.methods : [];
	const branding = profile.branding || {};
	const socials = SOCIAL.filter( ( m ) => methods.includes( m ) );
	const hasPassword = methods.includes( 'password' );
	const hasMagic = methods.includes( 'magic_code' );

	const [ step, setStep ] = useState( 'email' );
	const [ email, setEmail ] = useState( initialEmail || '' );
	const [ password, setPassword ] = useState( '' );
	const [ code, setCode ] = useState( '' );
	const [ error, setError ] = useState( '' );
	const [ status, setStatus ] = useState( '' );
	const [ busy, setBusy ] = useState( false );
	const [ pendingToken, setPendingToken ] = useState( '' );
	// An organization step: the ones WorkOS offered, and the one picked.
	const [ organizations, setOrganizations ] = useState( [] );
	const [ organization, setOrganization ] = useState( '' );
	// Signed in and on the way out: nothing more to submit.
	const [ done, setDone ] = useState( false );
	// The error shown is not about what was typed (the field is not marked invalid).
	const [ fieldOk, setFieldOk ] = useState( false );
	const firstInput = useRef( null );
	const mounted = useRef( false );

	useEffect( () => {
		if ( onMounted ) {
			onMounted();
		}
	}, [] ); // eslint-disable-line react-hooks/exhaustive-deps

	// Moving to another step puts the keyboard in its first field (not on the first render:
	// focus stays where the visitor had it while the page loaded).
	useEffect( () => {
		if ( mounted.current && firstInput.current ) {
			firstInput.current.focus();
		}
		mounted.current = true;
	}, [ step ] );

	const fail = ( e ) => {
		setStatus( '' );
		setError(
			e instanceof ApiError
				? e.message
				: __( 'Something went wrong. Please try again.', 'workos' )
		);
	};

	// What the API answered to a password or code: signed in (go on), or a step-up the shell
	// continues (email verification) or cannot offer yet (MFA, issue 12).
	const finish = ( result ) => {
		if (
			result &&
			typeof result.redirect_to === 'string' &&
			result.redirect_to
		) {
			setStatus( __( 'Signed in. Taking you there…', 'workos' ) );
			setDone( true );
			window.location.assign( result.redirect_to );
			return;
		}
		if (
			result &&
			result.email_verification_required &&
			result.pending_authentication_token
		) {
			setPendingToken( result.pending_authentication_token );
			setCode( '' );
			setStep( 'verify' );
			setStatus(
				sprintf(
					/* translators: %s: email address */
					__(
						'Your email address must be verified first. We have sent a code to %s.',
						'workos'
					),
					result.email || email
				)
			);
			return;
		}
		if (
			result &&
			result.organization_selection_required &&
			result.pending_authentication_token &&
			Array.isArray( result.organizations )
		) {
			setPendingToken( result.pending_authentication_token );
			setOrganizations( result.organizations );
			setOrganization( '' );
			setStep( 'organization' );
			setStatus(
				__(
					'Your account belongs to several organizations. Choose the one to sign in with.',
					'workos'
				)
			);
			return;
		}
		if ( result && result.mfa_required ) {
			// The password was right: the message is about the account, not the field.
			setFieldOk( true );
			setError(
				__(
					'Your account uses multi-factor authentication, which this sign-in page does not support yet. Please use another sign-in method or contact your site administrator.',
					'workos'
				)
			);
			return;
		}
		setError( __( 'Something went wrong. Please try again.', 'workos' ) );
	};

	const run = async ( work ) => {
		setBusy( true );
		setError( '' );
		setFieldOk( false );
		try {
			await work();
		} catch ( e ) {
			fail( e );
		} finally {
			setBusy( false );
		}
	};

	const sendCode = () =>
		run( async () => {
			await client.magicSend( { email } );
			setCode( '' );
			setStep( 'code' );
			setStatus(
				sprintf(
					/* translators: %s: email address */
					__(
						'If %s can sign in here, a code is on its way.',
						'workos'
					),
					email
				)
			);
		} );

	const onEmail = ( event ) => {
		event.preventDefault();
		setFieldOk( false );
		const value = email.trim();
		if ( ! EMAIL.test( value ) ) {
			setError( __( 'Enter a valid email address.', 'workos' ) );
			return;
		}
		setEmail( value );
		setError( '' );
		if ( hasPassword ) {
			setStep( 'password' );
		} else if ( hasMagic ) {
			sendCode();
		} else {
			setError(
				__( 'Use one of the buttons below to sign in.', 'workos' )
			);
		}
	};

	const onPassword = ( event ) => {
		event.preventDefault();
		setFieldOk( false );
		if ( '' === password ) {
			setError( __( 'Enter your password.', 'workos' ) );
			return;
		}
		run( async () =>
			finish(
				await client.passwordAuthenticate( {
					email,
					password,
					redirectTo: config.redirectTo,
				} )
			)
		);
	};

	const onCode = ( event ) => {
		event.preventDefault();
		setFieldOk( false );
		const typed = code.replace( /\s+/g, '' );
		if ( ! /^[0-9]{6}$/.test( typed ) ) {
			setError(
				__( 'Enter the 6-digit code from the email.', 'workos' )
			);
			return;
		}
		run( async () =>
			finish(
				await client.magicVerify( {
					email,
					code: typed,
					pendingAuthenticationToken:
						'verify' === step && pendingToken
							? pendingToken
							: undefined,
					redirectTo: config.redirectTo,
				} )
			)
		);
	};

	const onOrganization = ( event ) => {
		event.preventDefault();
		setFieldOk( false );
		if ( '' === organization ) {
			setError( __( 'Choose an organization.', 'workos' ) );
			return;
		}
		run( async () =>
			finish(
				await client.organizationSelect( {
					pendingAuthenticationToken: pendingToken,
					organizationId: organization,
					redirectTo: config.redirectTo,
				} )
			)
		);
	};

	// A new email-verification code: WorkOS sends one with each password sign-in that needs it.
	const resendVerification = () =>
		run( async () => {
			setCode( '' );
			finish(
				await client.passwordAuthenticate( {
					email,
					password,
					redirectTo: config.redirectTo,
				} )
			);
		} );

	const onSocial = ( provider ) =>
		run( async () => {
			const result = await client.oauthAuthorizeUrl( {
				provider,
				redirectTo: config.redirectTo,
			} );
			if ( ! result.authorize_url ) {
				throw new ApiError(
					'workos_bad_response',
					__( 'Something went wrong. Please try again.', 'workos' )
				);
			}
			window.location.assign( result.authorize_url );
		} );

	const back = () => {
		setError( '' );
		setStatus( '' );
		setPassword( '' );
		setCode( '' );
		setPendingToken( '' );
		setOrganizations( [] );
		setOrganization( '' );
		setStep( 'email' );
	};

	const invalid = error && ! fieldOk ? 'true' : undefined;
	const describedBy = error ? 'wa-error' : undefined;

	let form;
	if ( 'email' === step ) {
		form = (
			<form
				className="wa-form"
				method="post"
				noValidate
				onSubmit={ onEmail }
			>
				<Field
					id="wa-email"
					label={ __( 'Email address', 'workos' ) }
					inputRef={ firstInput }
					name="email"
					type="email"
					autoComplete="username"
					inputMode="email"
					required
					value={ email }
					onChange={ ( e ) => setEmail( e.target.value ) }
					aria-invalid={ invalid }
					aria-describedby={ describedBy }
				/>
				<button
					className="wa-button wa-button-primary"
					type="submit"
					disabled={ busy || done }
				>
					{ __( 'Continue', 'workos' ) }
				</button>
			</form>
		);
	} else {
		form = (
			<div className="wa-step">
				{ 'password' === step && (
					<form
						className="wa-form"
						method="post"
						noValidate
						onSubmit={ onPassword }
					>
						<Field
							id="wa-password"
							label={ __( 'Password', 'workos' ) }
							inputRef={ firstInput }
							name="password"
							type="password"
							autoComplete="current-password"
							required
							value={ password }
							onChange={ ( e ) => setPassword( e.target.value ) }
							aria-invalid={ invalid }
							aria-describedby={ describedBy }
						/>
						<button
							className="wa-button wa-button-primary"
							type="submit"
							disabled={ busy || done }
						>
							{ __( 'Sign in', 'workos' ) }
						</button>
						{ hasMagic && (
							<button
								className="wa-button wa-button-secondary"
								type="button"
								disabled={ busy || done }
								onClick={ sendCode }
							>
								{ __(
									'Email me a sign-in code instead',
									'workos'
								) }
							</button>
						) }
					</form>
				) }
				{ 'organization' === step && (
					<form
						className="wa-form"
						method="post"
						noValidate
						onSubmit={ onOrganization }
					>
						<fieldset
							className="wa-choices"
							aria-invalid={ invalid }
							aria-describedby={ describedBy }
						>
							<legend className="wa-label">
								{ __( 'Organization', 'workos' ) }
							</legend>
							{ organizations.map( ( org, index ) => (
								<label
									className="wa-choice"
									key={ org.id }
									htmlFor={ 'wa-org-' + index }
								>
									<input
										id={ 'wa-org-' + index }
										type="radio"
										name="organization"
										value={ org.id }
										ref={ 0 === index ? firstInput : null }
										checked={ organization === org.id }
										onChange={ () =>
											setOrganization( org.id )
										}
									/>{ ' ' }
									{ org.name }
								</label>
							) ) }
						</fieldset>
						<button
							className="wa-button wa-button-primary"
							type="submit"
							disabled={ busy || done }
						>
							{ __( 'Continue', 'workos' ) }
						</button>
					</form>
				) }
				{ ( 'code' === step || 'verify' === step ) && (
					<form
						className="wa-form"
						method="post"
						noValidate
						onSubmit={ onCode }
					>
						<Field
							id="wa-code"
							label={
								'verify' === step
									? __( 'Verification code', 'workos' )
									: __( 'Sign-in code', 'workos' )
							}
							inputRef={ firstInput }
							name="code"
							type="text"
							autoComplete="one-time-code"
							inputMode="numeric"
							maxLength={ 6 }
							required
							value={ code }
							onChange={ ( e ) => setCode( e.target.value ) }
							aria-invalid={ invalid }
							aria-describedby={ describedBy }
						/>
						<button
							className="wa-button wa-button-primary"
							type="submit"
							disabled={ busy || done }
						>
							{ 'verify' === step
								? __( 'Verify and sign in', 'workos' )
								: __( 'Sign in', 'workos' ) }
						</button>
						<button
							className="wa-button wa-button-secondary"
							type="button"
							disabled={ busy || done }
							onClick={
								'verify' === step
									? resendVerification
									: sendCode
							}
						>
							{ __( 'Send a new code', 'workos' ) }
						</button>
					</form>
				) }
			</div>
		);
	}

	// The same landmark and heading level as Shell.php prints (embedded: inside a theme's page).
	const Card = config.embedded ? 'section' : 'main';
	const Heading = config.embedded ? 'h2' : 'h1';

	return (
		<div className="wa-shell">
			<Card className="wa-card" aria-labelledby="wa-heading">
				{ branding.logo_url ? (
					<img
						className="wa-logo"
						src={ branding.logo_url }
						alt={ config.siteName }
					/>
				) : null }
				<Heading className="wa-heading" id="wa-heading">
					{ branding.heading || __( 'Sign in', 'workos' ) }
				</Heading>
				{ branding.subheading ? (
					<p className="wa-subheading">{ branding.subheading }</p>
				) : null }
				{ 'email' !== step ? (
					<p className="wa-identity">
						<span className="wa-identity-email">{ email }</span>{ ' ' }
						<button
							className="wa-link"
							type="button"
							onClick={ back }
						>
							{ __( 'Use a different email', 'workos' ) }
						</button>
					</p>
				) : null }
				<div className="wa-error" id="wa-error" role="alert">
					{ error }
				</div>
				<div className="wa-status" role="status">
					{ status }
				</div>
				{ form }
				{ 'email' === step && socials.length > 0 ? (
					<div className="wa-social">
						<p className="wa-divider">
							<span>{ __( 'or', 'workos' ) }</span>
						</p>
						{ socials.map( ( method ) => (
							<button
								className="wa-button wa-button-secondary"
								type="button"
								key={ method }
								data-provider={ method }
								disabled={ busy || done }
								onClick={ () => onSocial( method ) }
							>
								{ socialLabel( method ) }
							</button>
						) ) }
					</div>
				) : null }
				{ 'email' === step && methods.includes( 'passkey' ) ? (
					<PasskeyButton
						divider={ 0 === socials.length }
						disabled={ busy || done }
						onClick={ () =>
							run( async () => {
								try {
									finish(
										await passkeySignIn( client, config )
									);
								} catch ( e ) {
									// Not about the typed address: the field is not marked invalid.
									setFieldOk( true );
									throw e;
								}
							} )
						}
					/>
				) : null }
			</Card>
		</div>
	);
}
