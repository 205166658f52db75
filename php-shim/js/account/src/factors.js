/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Users → Profile → "Two-step sign-in": lists the signed-in person's second factors and adds
 * (authenticator app: QR code + key, confirmed by a code; text message: number → texted code) and
 * removes them through /workos/v1/auth/mfa/* (WordPress REST nonce; FactorsRest checks that each
 * factor is the person's). Mounted over the section php-shim/src/Users/FactorsSection.php prints.
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

/**
 * Calls the factors API.
 *
 * @param {Object}  config The section's configuration ({restBase, nonce}).
 * @param {string}  route  Route under mfa/ ('factors', 'totp/enroll', …).
 * @param {?Object} body   JSON body for a POST; none for a GET.
 * @return {Promise<Object>} The answer; throws an Error with the server's message.
 */
function call( config, route, body = null ) {
	return restRequest(
		config.restBase + route,
		config.nonce,
		body ? 'POST' : 'GET',
		body
	);
}

/**
 * A factor's kind, for people.
 *
 * @param {string} type 'totp' or 'sms'.
 * @return {string} Label.
 */
function kind( type ) {
	return 'sms' === type
		? __( 'Text message', 'workos' )
		: __( 'Authenticator app', 'workos' );
}

/**
 * A factor's name in sentences and button labels ("the authenticator app", "text messages to ••••0123").
 *
 * @param {Object} factor {type, phone?}.
 * @return {string} Name.
 */
function named( factor ) {
	if ( 'sms' === factor.type ) {
		return factor.phone
			? sprintf(
					/* translators: %s: the phone number's last digits, e.g. ••••0123. */
					__( 'text messages to %s', 'workos' ),
					factor.phone
				)
			: __( 'text messages', 'workos' );
	}
	return __( 'the authenticator app', 'workos' );
}

/**
 * A date from the API (ISO 8601) in the page's language.
 *
 * @param {string} iso Date.
 * @return {string} The day, or '' when unknown.
 */
function day( iso ) {
	const date = iso ? new Date( iso ) : null;
	if ( ! date || Number.isNaN( date.getTime() ) ) {
		return '';
	}
	return date.toLocaleDateString(
		document.documentElement.lang || undefined,
		{
			year: 'numeric',
			month: 'long',
			day: 'numeric',
		}
	);
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

/**
 * The code field of an enrolment (digits only, Enter confirms without submitting the profile form).
 *
 * @param {Object}   props
 * @param {string}   props.id       Field id.
 * @param {string}   props.label    Label.
 * @param {string}   props.help     Id of the text that explains it.
 * @param {string}   props.value    Value.
 * @param {Function} props.onChange New value.
 * @param {Function} props.onEnter  Enter pressed.
 * @param {boolean}  props.busy     A call is running.
 * @param {boolean}  props.invalid  The last try was refused.
 * @param {Object}   props.field    Ref focused when the step opens.
 */
function CodeInput( {
	id,
	label,
	help,
	value,
	onChange,
	onEnter,
	busy,
	invalid,
	field,
} ) {
	return (
		<p className="workos-factors-field">
			<label htmlFor={ id }>{ label }</label>
			<input
				id={ id }
				ref={ field }
				type="text"
				className="workos-factors-code"
				inputMode="numeric"
				autoComplete="one-time-code"
				pattern="[0-9 ]*"
				maxLength={ 7 }
				value={ value }
				disabled={ busy }
				aria-describedby={
					invalid ? `${ help } workos-factors-error` : help
				}
				aria-invalid={ invalid ? 'true' : undefined }
				onChange={ ( e ) => onChange( e.target.value ) }
				onKeyDown={ ( e ) => {
					if ( 'Enter' === e.key ) {
						onEnter( e );
					}
				} }
			/>
		</p>
	);
}

/**
 * A step's buttons: its action (enabled once its field has a value) and Cancel.
 *
 * @param {Object}   props
 * @param {string}   props.label    The action's label.
 * @param {boolean}  props.ready    Whether the field has what the action needs.
 * @param {Function} props.onGo     The action.
 * @param {Function} props.onCancel Back to the list.
 * @param {boolean}  props.busy     A call is running.
 */
function StepActions( { label, ready, onGo, onCancel, busy } ) {
	return (
		<div className="workos-factors-step-actions">
			<button
				type="button"
				className="button button-primary"
				disabled={ busy || ! ready }
				onClick={ onGo }
			>
				{ label }
			</button>
			<button
				type="button"
				className="button"
				disabled={ busy }
				onClick={ onCancel }
			>
				{ __( 'Cancel', 'workos' ) }
			</button>
		</div>
	);
}

export function Factors( { config } ) {
	const offer = Array.isArray( config.offer ) ? config.offer : [];
	// null while the list loads.
	const [ factors, setFactors ] = useState( null );
	// 'list', 'totp' (scan + code), 'sms-phone', 'sms-code'.
	const [ step, setStep ] = useState( 'list' );
	const [ enrolment, setEnrolment ] = useState( null );
	const [ phone, setPhone ] = useState( '' );
	const [ code, setCode ] = useState( '' );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState( '' );
	// Set when the refusal asks for a fresh sign-in: where to have it.
	const [ signInAgain, setSignInAgain ] = useState( '' );
	const [ status, setStatus ] = useState( '' );
	// The factor whose removal is being confirmed (the dialog is open while set).
	const [ removing, setRemoving ] = useState( null );
	const field = useRef();
	const dialog = useRef();
	const keep = useRef();
	const addButton = useRef();
	const heading = useRef(
		document.getElementById( 'workos-factors-heading' )
	);
	// Where focus goes back to when the dialog closes.
	const opener = useRef( null );

	const load = async () => {
		const answer = await call( config, 'factors' );
		setFactors( Array.isArray( answer.factors ) ? answer.factors : [] );
	};

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

	useEffect( () => {
		run( load );
		// eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount.
	}, [] );

	// A step opened (or a call it made is over: a disabled field loses focus): its field takes focus.
	useEffect( () => {
		if ( field.current && 'list' !== step && ! busy ) {
			field.current.focus();
		}
	}, [ step, busy ] );

	useEffect( () => {
		const el = dialog.current;
		if ( ! el ) {
			return;
		}
		if ( removing && ! el.open ) {
			el.showModal();
			// The safe choice is where focus starts.
			if ( keep.current ) {
				keep.current.focus();
			}
		} else if ( ! removing && el.open ) {
			el.close();
		}
	}, [ removing ] );

	// Back to the list; focus on the first "Add" button (or the heading when there is none).
	const backToList = ( message ) => {
		setStep( 'list' );
		setEnrolment( null );
		setCode( '' );
		setPhone( '' );
		setStatus( message );
		window.requestAnimationFrame( () => {
			const target = addButton.current || heading.current;
			if ( target ) {
				if ( target === heading.current ) {
					target.setAttribute( 'tabindex', '-1' );
				}
				target.focus();
			}
		} );
	};

	const startTotp = () =>
		run( async () => {
			setStatus( '' );
			const answer = await call( config, 'totp/enroll', {} );
			// It exists at WorkOS from now on: listed as waiting for its first code.
			await load();
			setEnrolment( {
				type: 'totp',
				factorId: answer.factor_id,
				challengeId: answer.challenge_id,
				qr: answer.qr_code,
				secret: answer.secret,
			} );
			setCode( '' );
			setStep( 'totp' );
		} );

	const startSms = () => {
		setStatus( '' );
		setError( '' );
		setPhone( '' );
		setStep( 'sms-phone' );
	};

	const sendSms = ( event ) => {
		event.preventDefault();
		run( async () => {
			const answer = await call( config, 'sms/enroll', {
				phone_number: phone,
			} );
			setEnrolment( {
				type: 'sms',
				factorId: answer.factor_id,
				challengeId: answer.challenge_id,
				phone,
			} );
			setCode( '' );
			setStep( 'sms-code' );
		} );
	};

	const confirm = ( event ) => {
		event.preventDefault();
		run( async () => {
			await call( config, 'factor/confirm', {
				factor_id: enrolment.factorId,
				challenge_id: enrolment.challengeId,
				code: code.replace( /\s+/g, '' ),
			} );
			await load();
			backToList(
				'sms' === enrolment.type
					? __(
							'Text messages to this number are now a second step for your sign-in.',
							'workos'
						)
					: __(
							'The authenticator app is now a second step for your sign-in.',
							'workos'
						)
			);
		} );
	};

	// Leaving a TOTP enrolment removes its factor: an app never set up must not be asked for at sign-in.
	const cancel = () =>
		run( async () => {
			if ( enrolment && 'totp' === enrolment.type ) {
				await call( config, 'factor/delete', {
					factor_id: enrolment.factorId,
				} );
				await load();
			}
			backToList( '' );
		} );

	const askRemove = ( factor, event ) => {
		opener.current = event.currentTarget;
		setStatus( '' );
		setError( '' );
		setRemoving( factor );
	};

	const closeDialog = () => {
		setRemoving( null );
		const back = opener.current;
		window.requestAnimationFrame( () => {
			if ( back && back.isConnected ) {
				back.focus();
			}
		} );
	};

	const remove = () => {
		const factor = removing;
		setRemoving( null );
		run( async () => {
			try {
				await call( config, 'factor/delete', {
					factor_id: factor.id,
				} );
			} finally {
				await load().catch( () => {} );
			}
			backToList(
				sprintf(
					/* translators: %s: what was removed, e.g. "the authenticator app". */
					__( 'Removed %s.', 'workos' ),
					named( factor )
				)
			);
		} );
	};

	const onKey = ( handler ) => ( event ) => {
		// These fields live inside WordPress's profile form: Enter must not submit that one.
		if ( 'Enter' === event.key ) {
			handler( event );
		}
	};

	// Shown in the open step, under its field (or under the list).
	const errorBox = (
		<p
			id="workos-factors-error"
			className="workos-factors-error"
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
	);

	const list = factors || [];
	const canTotp = offer.includes( 'totp' );
	const canSms = offer.includes( 'sms' );

	return (
		<div className="workos-factors-app">
			{ null === factors && ! error && (
				<p className="workos-factors-loading">
					{ __( 'Loading your second factors…', 'workos' ) }
				</p>
			) }
			{ null !== factors && (
				<ul
					className="workos-factors-list"
					aria-labelledby="workos-factors-heading"
				>
					{ 0 === list.length && (
						<li className="workos-factors-empty">
							{ __(
								'You have no second factor yet: your password (or the first step) is enough to sign in, unless this site asks for more.',
								'workos'
							) }
						</li>
					) }
					{ list.map( ( factor ) => (
						<li
							key={ factor.id }
							className="workos-factor"
							data-id={ factor.id }
							data-type={ factor.type }
						>
							<span className="workos-factor-what">
								<strong className="workos-factor-kind">
									{ kind( factor.type ) }
								</strong>
								{ factor.phone && (
									<span className="workos-factor-phone">
										{ factor.phone }
									</span>
								) }
								{ factor.pending && (
									<span className="workos-factor-pending">
										{ __(
											'Not set up yet: waiting for its first code',
											'workos'
										) }
									</span>
								) }
							</span>
							<span className="workos-factor-added">
								{ day( factor.created )
									? sprintf(
											/* translators: %s: a date. */
											__( 'Added %s', 'workos' ),
											day( factor.created )
										)
									: '' }
							</span>
							{ /* The one being set up is left with the step's Cancel. */ }
							{ ( ! enrolment ||
								enrolment.factorId !== factor.id ) && (
								<button
									type="button"
									className="button workos-factor-remove"
									disabled={ busy }
									aria-label={ sprintf(
										/* translators: %s: what is removed, e.g. "the authenticator app". */
										__( 'Remove %s', 'workos' ),
										named( factor )
									) }
									onClick={ ( e ) => askRemove( factor, e ) }
								>
									{ __( 'Remove', 'workos' ) }
								</button>
							) }
						</li>
					) ) }
				</ul>
			) }

			{ 'list' === step && null !== factors && ( canTotp || canSms ) && (
				<div className="workos-factors-actions">
					{ canTotp && (
						<button
							type="button"
							ref={ addButton }
							className="button workos-factors-add-totp"
							disabled={ busy }
							onClick={ startTotp }
						>
							{ __( 'Add an authenticator app', 'workos' ) }
						</button>
					) }
					{ canSms && (
						<button
							type="button"
							ref={ canTotp ? undefined : addButton }
							className="button workos-factors-add-sms"
							disabled={ busy }
							onClick={ startSms }
						>
							{ __( 'Add a phone for text messages', 'workos' ) }
						</button>
					) }
				</div>
			) }

			{ 'totp' === step && enrolment && (
				<div
					className="workos-factors-step"
					role="group"
					aria-labelledby="workos-factors-totp-title"
				>
					<h3 id="workos-factors-totp-title">
						{ __( 'Add an authenticator app', 'workos' ) }
					</h3>
					<p id="workos-factors-totp-help">
						{ __(
							'Scan this QR code with your authenticator app (for example Google Authenticator, 1Password or Authy), then enter the 6-digit code it shows.',
							'workos'
						) }
					</p>
					<div className="workos-factors-scan">
						{ enrolment.qr && (
							<img
								className="workos-factors-qr"
								src={ enrolment.qr }
								width="180"
								height="180"
								alt={ __(
									'QR code to add this account to an authenticator app',
									'workos'
								) }
							/>
						) }
						{ enrolment.secret && (
							<div className="workos-factors-secret-box">
								<p id="workos-factors-secret-label">
									{ __(
										'Cannot scan it? Enter this key in the app instead:',
										'workos'
									) }
								</p>
								<code
									className="workos-factors-secret"
									aria-labelledby="workos-factors-secret-label"
								>
									{ grouped( enrolment.secret ) }
								</code>
							</div>
						) }
					</div>
					<CodeInput
						id="workos-factors-totp-code"
						label={ __(
							'Code from your authenticator app',
							'workos'
						) }
						help="workos-factors-totp-help"
						value={ code }
						onChange={ setCode }
						onEnter={ confirm }
						busy={ busy }
						invalid={ !! error }
						field={ field }
					/>
					{ errorBox }
					<StepActions
						label={ __( 'Confirm', 'workos' ) }
						ready={ '' !== code.trim() }
						onGo={ confirm }
						onCancel={ cancel }
						busy={ busy }
					/>
				</div>
			) }

			{ 'sms-phone' === step && (
				<div
					className="workos-factors-step"
					role="group"
					aria-labelledby="workos-factors-sms-title"
				>
					<h3 id="workos-factors-sms-title">
						{ __( 'Add a phone for text messages', 'workos' ) }
					</h3>
					<p className="workos-factors-field">
						<label htmlFor="workos-factors-phone">
							{ __( 'Mobile number', 'workos' ) }
						</label>
						<input
							id="workos-factors-phone"
							ref={ field }
							type="tel"
							className="regular-text"
							autoComplete="tel"
							maxLength={ 24 }
							value={ phone }
							disabled={ busy }
							aria-describedby={
								error
									? 'workos-factors-phone-help workos-factors-error'
									: 'workos-factors-phone-help'
							}
							aria-invalid={ error ? 'true' : undefined }
							onChange={ ( e ) => setPhone( e.target.value ) }
							onKeyDown={ onKey( sendSms ) }
						/>
					</p>
					<p className="description" id="workos-factors-phone-help">
						{ __(
							'With its country code, e.g. +15555550123. We text a code to it now; it is added once you enter that code.',
							'workos'
						) }
					</p>
					{ errorBox }
					<StepActions
						label={ __( 'Send code', 'workos' ) }
						ready={ '' !== phone.trim() }
						onGo={ sendSms }
						onCancel={ cancel }
						busy={ busy }
					/>
				</div>
			) }

			{ 'sms-code' === step && enrolment && (
				<div
					className="workos-factors-step"
					role="group"
					aria-labelledby="workos-factors-sms-title"
				>
					<h3 id="workos-factors-sms-title">
						{ __( 'Add a phone for text messages', 'workos' ) }
					</h3>
					<p id="workos-factors-sms-help">
						{ sprintf(
							/* translators: %s: the phone number entered. */
							__(
								'We texted a code to %s. Enter it to finish.',
								'workos'
							),
							enrolment.phone
						) }
					</p>
					<CodeInput
						id="workos-factors-sms-code"
						label={ __( 'Code from the text message', 'workos' ) }
						help="workos-factors-sms-help"
						value={ code }
						onChange={ setCode }
						onEnter={ confirm }
						busy={ busy }
						invalid={ !! error }
						field={ field }
					/>
					{ errorBox }
					<StepActions
						label={ __( 'Confirm', 'workos' ) }
						ready={ '' !== code.trim() }
						onGo={ confirm }
						onCancel={ cancel }
						busy={ busy }
					/>
				</div>
			) }

			{ 'list' === step && errorBox }
			<p className="workos-factors-status" role="status">
				{ status }
			</p>

			<dialog
				ref={ dialog }
				className="workos-factors-dialog"
				aria-labelledby="workos-factors-dialog-title"
				aria-describedby="workos-factors-dialog-text"
				onClose={ () => removing && closeDialog() }
			>
				{ removing && (
					<div>
						<h3 id="workos-factors-dialog-title">
							{ sprintf(
								/* translators: %s: what is removed, e.g. "the authenticator app". */
								__( 'Remove %s?', 'workos' ),
								named( removing )
							) }
						</h3>
						<p id="workos-factors-dialog-text">
							{ __(
								'You will no longer be able to use it as the second step of your sign-in. If this site asks for a second step, you will need another one.',
								'workos'
							) }
						</p>
						<div className="workos-factors-step-actions">
							<button
								type="button"
								className="button button-primary workos-factors-dialog-remove"
								onClick={ remove }
							>
								{ __( 'Remove', 'workos' ) }
							</button>
							<button
								type="button"
								ref={ keep }
								className="button workos-factors-dialog-keep"
								onClick={ closeDialog }
							>
								{ __( 'Keep it', 'workos' ) }
							</button>
						</div>
					</div>
				) }
			</dialog>
		</div>
	);
}

/**
 * Mounts the section over what FactorsSection printed.
 */
export function mountFactors() {
	const root = document.getElementById( 'workos-factors' );
	if ( ! root ) {
		return;
	}
	let config = {};
	try {
		config = JSON.parse( root.dataset.config || '{}' );
	} catch {
		config = {};
	}
	render( <Factors config={ config } />, root );
}
