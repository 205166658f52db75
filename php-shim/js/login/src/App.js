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
import { SLOT, Slot, SlotArea } from './slots';
import { STEPS } from './steps';

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

/**
 * The shell: the card (logo, heading, who is signing in, error and status regions), the current
 * step from steps/index.js, and on the first step the social and passkey buttons. Its first render
 * (step "email", no error) must produce exactly the markup php-shim/src/SignIn/Hosted/Shell.php
 * prints, so hydration changes nothing on screen.
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

	const [ step, setStep ] = useState(
		STEPS[ config.initialStep ] ? config.initialStep : 'email'
	);
	// What the step was given when the shell moved to it (pending tokens, organizations, …).
	const [ data, setData ] = useState( config.stepData || {} );
	const [ email, setEmail ] = useState( initialEmail || '' );
	const [ error, setError ] = useState( '' );
	const [ status, setStatus ] = useState( '' );
	const [ busy, setBusy ] = useState( false );
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

	// The page's links under the card (Shell::page_links(), outside what React manages) that only
	// make sense on some steps — "Lost your password?" on the email step (the password step has its
	// own link in the card) — follow it.
	useEffect( () => {
		document.querySelectorAll( '[data-wa-steps]' ).forEach( ( el ) => {
			el.hidden = ! el
				.getAttribute( 'data-wa-steps' )
				.split( ' ' )
				.includes( step );
		} );
	}, [ step ] );

	const go = ( next, nextData = {}, nextStatus = '' ) => {
		setError( '' );
		setFieldOk( false );
		setData( nextData );
		setStatus( nextStatus );
		setStep( next );
	};

	const fail = ( e ) => {
		setStatus( '' );
		setError(
			e instanceof ApiError
				? e.message
				: __( 'Something went wrong. Please try again.', 'workos' )
		);
	};

	// What the API answered to a sign-in: signed in (go on), or a step-up the shell continues.
	// `carry` goes to the next step's data (e.g. the password, to send a new verification code).
	const finish = ( result, carry = {} ) => {
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
			go(
				'verify',
				{ ...carry, pendingToken: result.pending_authentication_token },
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
			go(
				'organization',
				{
					...carry,
					pendingToken: result.pending_authentication_token,
					organizations: result.organizations,
				},
				__(
					'Your account belongs to several organizations. Choose the one to sign in with.',
					'workos'
				)
			);
			return;
		}
		if ( result && result.mfa_required && STEPS.mfa ) {
			go( 'mfa', { ...carry, ...result } );
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

	const back = () => go( 'email' );

	const shell = {
		config,
		client,
		profile,
		methods,
		step,
		data,
		email,
		setEmail,
		go,
		finish,
		run,
		back,
		busy,
		done,
		setError,
		setStatus,
		setFieldOk,
		invalid: error && ! fieldOk ? 'true' : undefined,
		describedBy: error ? 'wa-error' : undefined,
		firstInput,
	};

	const Step = STEPS[ step ];
	const first = 'email' === step;
	// Steps about the address typed on the first step say whose it is (and offer another one).
	const identity = ! first && false !== Step.showsIdentity && '' !== email;

	// The same landmark and heading level as Shell.php prints (embedded: inside a theme's page).
	const Card = config.embedded ? 'section' : 'main';
	const Heading = config.embedded ? 'h2' : 'h1';

	// What plugins' fills receive (REFERENCE-API §8.1): `flow` only on flow screens.
	const fillProps = {
		step,
		profileSlug: profile.slug || 'default',
		methods,
		...( first ? {} : { flow: step } ),
	};

	return (
		<SlotArea fillProps={ fillProps }>
			<div className="wa-shell">
				<Slot name={ SLOT.beforeHeader } />
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
					<Slot name={ SLOT.afterHeader } />
					{ identity ? (
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
					{ first ? (
						<Step shell={ shell } />
					) : (
						<div className="wa-step">
							<Step key={ step } shell={ shell } />
						</div>
					) }
					{ first ? <Slot name={ SLOT.beforeMethods } /> : null }
					{ first && socials.length > 0 ? (
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
					{ first && methods.includes( 'passkey' ) ? (
						<PasskeyButton
							divider={ 0 === socials.length }
							disabled={ busy || done }
							onClick={ () =>
								run( async () => {
									try {
										finish(
											await passkeySignIn(
												client,
												config
											)
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
					{ first ? <Slot name={ SLOT.afterMethods } /> : null }
					<Slot name={ SLOT.beforeFooter } />
					<Slot name={ SLOT.afterFooter } />
				</Card>
				<div className="wa-below-card">
					<Slot name={ SLOT.belowCard } />
					{ config.loginForm ? (
						// What login_form hooks printed on the server (Slots::below_card()), as it was.
						<div
							className="wa-login-form"
							dangerouslySetInnerHTML={ {
								__html: config.loginForm,
							} }
						/>
					) : null }
				</div>
			</div>
		</SlotArea>
	);
}
