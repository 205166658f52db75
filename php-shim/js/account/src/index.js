/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Users → Profile → WorkOS → "Change email" (and, from ./factors, "Two-step sign-in"): asks for the new address, then for the code WorkOS
 * mailed to it, through /workos/v1/users/{id}/email-change (WordPress REST nonce). An
 * administrator changing another user's address commits it at once. Mounted over the panel
 * php-shim/src/Users/ProfilePanel.php prints.
 */
import {
	createElement,
	render,
	useEffect,
	useRef,
	useState,
} from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { reauthUrl, restRequest } from '../../shared/src/rest';
import { mountFactors } from './factors';
import './account.css';

/**
 * POSTs to the change-of-email API.
 *
 * @param {Object} config The panel's configuration.
 * @param {string} suffix '', '/confirm' or '/cancel'.
 * @param {Object} body   JSON body.
 * @return {Promise<Object>} The answer; throws an Error with the server's message.
 */
function post( config, suffix, body ) {
	return restRequest( config.restUrl + suffix, config.nonce, 'POST', body );
}

function EmailChange( { config } ) {
	const [ step, setStep ] = useState(
		config.pendingMasked ? 'code' : 'idle'
	);
	const [ masked, setMasked ] = useState( config.pendingMasked );
	const [ email, setEmail ] = useState( '' );
	const [ code, setCode ] = useState( '' );
	const [ current, setCurrent ] = useState( config.email );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState( '' );
	// Set when the refusal asks for a fresh sign-in: where to have it.
	const [ signInAgain, setSignInAgain ] = useState( '' );
	const [ status, setStatus ] = useState( '' );
	const field = useRef();
	const admin = 'admin' === config.mode;
	// A field names its help and, once there is one, the error about it.
	const describedBy = ( help ) =>
		error ? `${ help } workos-email-change-error` : help;

	useEffect( () => {
		if ( field.current && ( 'form' === step || 'code' === step ) ) {
			field.current.focus();
		}
	}, [ step ] );

	const run = async ( fn ) => {
		setBusy( true );
		setError( '' );
		setSignInAgain( '' );
		try {
			await fn();
		} catch ( e ) {
			setError( e.message );
			setSignInAgain( reauthUrl( e ) );
		} finally {
			setBusy( false );
		}
	};

	// WordPress's own (read-only) email field and the panel follow the new address.
	const committed = ( address ) => {
		setCurrent( address );
		const own = document.getElementById( 'email' );
		if ( own ) {
			own.value = address;
		}
		document
			.querySelectorAll( '.workos-panel-current-email' )
			.forEach( ( el ) => ( el.textContent = address ) );
		setStep( 'idle' );
		setCode( '' );
		setEmail( '' );
		setStatus(
			sprintf(
				/* translators: %s: the new email address. */
				__( 'The email address is now %s.', 'workos' ),
				address
			)
		);
	};

	const send = ( event ) => {
		event.preventDefault();
		run( async () => {
			const answer = await post( config, '', { new_email: email } );
			if ( answer.committed ) {
				committed( answer.email );
			} else if ( answer.no_op ) {
				setStep( 'idle' );
				setStatus(
					__( 'That is already the email address.', 'workos' )
				);
			} else {
				setMasked( answer.masked_new_email );
				setStatus( '' );
				setStep( 'code' );
			}
		} );
	};

	const confirm = ( event ) => {
		event.preventDefault();
		run( async () => {
			const answer = await post( config, '/confirm', { code } );
			committed( answer.email );
		} );
	};

	const cancel = () => {
		run( async () => {
			if ( 'code' === step ) {
				await post( config, '/cancel', {} );
			}
			setStep( 'idle' );
			setCode( '' );
			setMasked( '' );
			setStatus( '' );
		} );
	};

	// These sub-forms live inside WordPress's profile form: Enter must not submit that one.
	const onKey = ( handler ) => ( event ) => {
		if ( 'Enter' === event.key ) {
			handler( event );
		}
	};

	return (
		<div className="workos-email-change-app">
			{ 'idle' === step && (
				<button
					type="button"
					className="button workos-email-change-start"
					onClick={ () => {
						setStatus( '' );
						setError( '' );
						setStep( 'form' );
					} }
				>
					{ __( 'Change email', 'workos' ) }
				</button>
			) }
			{ 'form' === step && (
				<div
					className="workos-email-change-step"
					role="group"
					aria-label={ __( 'Change email', 'workos' ) }
				>
					<label htmlFor="workos-new-email">
						{ __( 'New email address', 'workos' ) }
					</label>
					<input
						id="workos-new-email"
						ref={ field }
						type="email"
						className="regular-text"
						autoComplete="email"
						value={ email }
						disabled={ busy }
						aria-describedby={ describedBy(
							'workos-new-email-help'
						) }
						aria-invalid={ error ? 'true' : undefined }
						onChange={ ( e ) => setEmail( e.target.value ) }
						onKeyDown={ onKey( send ) }
					/>
					<p className="description" id="workos-new-email-help">
						{ admin
							? __(
									'The address changes at once, here and at WorkOS. The person is told at their old address.',
									'workos'
								)
							: __(
									'We will send a code to the new address. Your address changes only once you enter it; your current address is told about the change.',
									'workos'
								) }
					</p>
					<div className="workos-email-change-actions">
						<button
							type="button"
							className="button button-primary"
							disabled={ busy || '' === email.trim() }
							onClick={ send }
						>
							{ admin
								? __( 'Change email', 'workos' )
								: __( 'Send code', 'workos' ) }
						</button>
						<button
							type="button"
							className="button"
							disabled={ busy }
							onClick={ cancel }
						>
							{ __( 'Cancel', 'workos' ) }
						</button>
					</div>
				</div>
			) }
			{ 'code' === step && (
				<div
					className="workos-email-change-step"
					role="group"
					aria-label={ __(
						'Confirm the new email address',
						'workos'
					) }
				>
					<p id="workos-email-code-help">
						{ sprintf(
							/* translators: %s: the new address, mostly hidden. */
							__(
								'We sent a code to %s. Enter it to finish the change.',
								'workos'
							),
							masked
						) }
					</p>
					<label htmlFor="workos-email-code">
						{ __( 'Code', 'workos' ) }
					</label>
					<input
						id="workos-email-code"
						ref={ field }
						type="text"
						className="workos-email-code"
						inputMode="numeric"
						autoComplete="one-time-code"
						maxLength={ 12 }
						value={ code }
						disabled={ busy }
						aria-describedby={ describedBy(
							'workos-email-code-help'
						) }
						aria-invalid={ error ? 'true' : undefined }
						onChange={ ( e ) => setCode( e.target.value ) }
						onKeyDown={ onKey( confirm ) }
					/>
					<div className="workos-email-change-actions">
						<button
							type="button"
							className="button button-primary"
							disabled={ busy || '' === code.trim() }
							onClick={ confirm }
						>
							{ __( 'Confirm', 'workos' ) }
						</button>
						<button
							type="button"
							className="button"
							disabled={ busy }
							onClick={ cancel }
						>
							{ __( 'Cancel change', 'workos' ) }
						</button>
					</div>
				</div>
			) }
			<p
				id="workos-email-change-error"
				className="workos-email-change-error"
				role="alert"
				hidden={ ! error }
			>
				{ error }
				{ signInAgain && (
					<>
						{ ' ' }
						<a href={ signInAgain }>
							{ __( 'Sign in again', 'workos' ) }
						</a>
					</>
				) }
			</p>
			<p
				className="workos-email-change-status"
				role="status"
				data-email={ current }
			>
				{ status }
			</p>
		</div>
	);
}

const root = document.getElementById( 'workos-email-change' );
if ( root ) {
	let config = {};
	try {
		config = JSON.parse( root.dataset.config || '{}' );
	} catch {
		config = {}; // A broken attribute: the button shows, the API refuses.
	}
	render( <EmailChange config={ config } />, root );
}

mountFactors();
