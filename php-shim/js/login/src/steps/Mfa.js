/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The second factor of a sign-in (step "mfa"): choose a factor, enter the code from an
 * authenticator app or a text message, or set up an authenticator app first (QR code and the
 * secret for typing it in by hand). What the server answered (mfa_required …) is shell.data.
 */
import { createElement, useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import {
	ChoiceList,
	CodeField,
	PrimaryButton,
	SecondaryButton,
	StepForm,
	sixDigits,
} from './parts';

/**
 * A factor's name for the visitor.
 *
 * @param {string} type Factor type.
 * @return {string} Label.
 */
function factorLabel( type ) {
	switch ( type ) {
		case 'sms':
			return __( 'Text message (SMS)', 'workos' );
		case 'totp':
			return __( 'Authenticator app', 'workos' );
		default:
			return type;
	}
}

/**
 * The secret grouped by four characters, easier to read and type.
 *
 * @param {string} secret Base32 secret.
 * @return {string} Grouped secret.
 */
function grouped( secret ) {
	return String( secret )
		.replace( /(.{4})/g, '$1 ' )
		.trim();
}

export default function Mfa( { shell } ) {
	const factors = Array.isArray( shell.data.factors )
		? shell.data.factors
		: [];
	const enroll = Array.isArray( shell.data.enroll ) ? shell.data.enroll : [];
	// The step token: each challenge answers a new one, bound to that challenge.
	const [ token, setToken ] = useState(
		shell.data.pending_authentication_token || ''
	);
	const [ choice, setChoice ] = useState(
		factors.length ? factors[ 0 ].id : ''
	);
	// The challenge being answered: {id, factor:{id,type}}, and an enrolment's QR code and secret.
	const [ challenge, setChallenge ] = useState( null );
	const [ enrolment, setEnrolment ] = useState( null );
	const [ code, setCode ] = useState( '' );

	const start = ( params ) =>
		shell.run( async () => {
			const answer = await shell.client.post( 'mfa/challenge', {
				pending_authentication_token: token,
				...params,
			} );
			setToken( answer.pending_authentication_token );
			setChallenge( { id: answer.challenge_id, factor: answer.factor } );
			setCode( '' );
			if ( answer.secret ) {
				setEnrolment( {
					qr: answer.qr_code,
					secret: answer.secret,
				} );
			}
			shell.setStatus(
				'sms' === answer.factor.type
					? __( 'We have sent a code by text message.', 'workos' )
					: ''
			);
		} );

	// The code field takes the keyboard once a challenge is there.
	useEffect( () => {
		if ( challenge && shell.firstInput.current ) {
			shell.firstInput.current.focus();
		}
	}, [ challenge ] ); // eslint-disable-line react-hooks/exhaustive-deps

	// One authenticator app and nothing to choose: its code is asked for at once (a TOTP
	// challenge sends nothing; a text message waits for the visitor to ask for it).
	useEffect( () => {
		if (
			1 === factors.length &&
			'totp' === factors[ 0 ].type &&
			! enroll.length
		) {
			start( { factor_id: factors[ 0 ].id } );
		}
	}, [] ); // eslint-disable-line react-hooks/exhaustive-deps

	const onVerify = () => {
		shell.setFieldOk( false );
		const typed = sixDigits( code );
		if ( null === typed ) {
			shell.setError( __( 'Enter the 6-digit code.', 'workos' ) );
			return;
		}
		shell.run( async () =>
			shell.finish(
				await shell.client.post( 'mfa/verify', {
					pending_authentication_token: token,
					authentication_challenge_id: challenge.id,
					code: typed,
					redirect_to: shell.config.redirectTo,
				} )
			)
		);
	};

	if ( challenge ) {
		const sms = 'sms' === challenge.factor.type;
		return (
			<StepForm onSubmit={ onVerify }>
				<p className="wa-step-title">
					{ enrolment
						? __( 'Set up your authenticator app', 'workos' )
						: __( 'Two-step verification', 'workos' ) }
				</p>
				{ ! enrolment && (
					<p className="wa-intro">
						{ sms
							? __(
									'Enter the 6-digit code we sent to your phone.',
									'workos'
								)
							: __(
									'Enter the 6-digit code your authenticator app shows for this site.',
									'workos'
								) }
					</p>
				) }
				{ enrolment && (
					<div className="wa-mfa-enrol">
						<p className="wa-hint">
							{ __(
								'Scan this QR code with your authenticator app, then enter the 6-digit code it shows.',
								'workos'
							) }
						</p>
						{ enrolment.qr && (
							<img
								className="wa-qr"
								src={ enrolment.qr }
								width="180"
								height="180"
								alt={ __(
									'QR code to add this account to an authenticator app',
									'workos'
								) }
							/>
						) }
						<p className="wa-hint" id="wa-mfa-secret-label">
							{ __(
								'Cannot scan it? Enter this key in the app instead:',
								'workos'
							) }
						</p>
						<code
							className="wa-secret"
							aria-labelledby="wa-mfa-secret-label"
						>
							{ grouped( enrolment.secret ) }
						</code>
					</div>
				) }
				<CodeField
					shell={ shell }
					id="wa-mfa-code"
					label={
						sms
							? __( 'Code from the text message', 'workos' )
							: __( 'Code from your authenticator app', 'workos' )
					}
					value={ code }
					onChange={ setCode }
				/>
				<PrimaryButton shell={ shell }>
					{ __( 'Verify and sign in', 'workos' ) }
				</PrimaryButton>
				{ sms && (
					<SecondaryButton
						shell={ shell }
						onClick={ () =>
							start( { factor_id: challenge.factor.id } )
						}
					>
						{ __( 'Send a new code', 'workos' ) }
					</SecondaryButton>
				) }
				{ ! enrolment && factors.length > 1 && (
					<SecondaryButton
						shell={ shell }
						onClick={ () => {
							shell.setStatus( '' );
							setChallenge( null );
						} }
					>
						{ __( 'Use another way', 'workos' ) }
					</SecondaryButton>
				) }
			</StepForm>
		);
	}

	if ( ! factors.length ) {
		// No factor yet: set one up here (the profile or WorkOS requires one).
		return (
			<StepForm onSubmit={ () => start( { enroll: 'totp' } ) }>
				<p className="wa-step-title">
					{ __( 'Set up two-step verification', 'workos' ) }
				</p>
				<p className="wa-intro wa-mfa-intro">
					{ enroll.includes( 'totp' )
						? __(
								'This sign-in needs a second step. Set up an authenticator app (such as 1Password, Google Authenticator or Authy) to get a code each time you sign in.',
								'workos'
							)
						: __(
								'This sign-in needs a second step that cannot be set up here. Please contact your site administrator.',
								'workos'
							) }
				</p>
				{ enroll.includes( 'totp' ) && (
					<PrimaryButton shell={ shell }>
						{ __( 'Set up an authenticator app', 'workos' ) }
					</PrimaryButton>
				) }
			</StepForm>
		);
	}

	return (
		<StepForm onSubmit={ () => start( { factor_id: choice } ) }>
			<p className="wa-step-title">
				{ __( 'Two-step verification', 'workos' ) }
			</p>
			<ChoiceList
				shell={ shell }
				legend={ __( 'Confirm it is you with', 'workos' ) }
				name="factor"
				idPrefix="wa-factor-"
				choices={ factors.map( ( factor, index ) => ( {
					value: factor.id,
					// Two of a kind are told apart by their place in the list.
					label:
						factorLabel( factor.type ) +
						( factors.filter( ( f ) => f.type === factor.type )
							.length > 1
							? ' ' + ( index + 1 )
							: '' ),
				} ) ) }
				value={ choice }
				onChange={ setChoice }
			/>
			<PrimaryButton shell={ shell }>
				{ __( 'Continue', 'workos' ) }
			</PrimaryButton>
		</StepForm>
	);
}
// The address was typed steps ago and the password passed: "Use a different email" would drop a
// sign-in held for its second factor (and after /workos/callback no address was typed here at all).
Mfa.showsIdentity = false;
