/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The onboarding wizard: five real steps (credentials tested live → organization picked from
 * WorkOS → webhook endpoint and a test delivery → role map → optional user sync), each saved
 * through Admin\OnboardingRest, which also keeps where the owner is (a reload resumes there).
 */
import {
	createElement,
	useCallback,
	useEffect,
	useRef,
	useState,
} from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { goTo } from './api';
import {
	CredentialsStep,
	OrganizationStep,
	RolesStep,
	SyncStep,
	WebhookStep,
} from './steps';

/** Each step's title, in order (the server's Onboarding::STEPS). */
export function stepTitles() {
	return {
		credentials: __( 'Connect to WorkOS', 'workos' ),
		organization: __( 'Choose the organization', 'workos' ),
		webhook: __( 'Receive webhooks', 'workos' ),
		roles: __( 'Map roles', 'workos' ),
		sync: __( 'Sync users', 'workos' ),
	};
}

const STEP_COMPONENTS = {
	credentials: CredentialsStep,
	organization: OrganizationStep,
	webhook: WebhookStep,
	roles: RolesStep,
	sync: SyncStep,
};

export default function App( { initial } ) {
	const [ config, setConfig ] = useState( initial );
	const steps = config.steps || Object.keys( STEP_COMPONENTS );
	const [ step, setStep ] = useState(
		config.state && config.state.finished ? 'done' : config.state.step
	);
	const [ message, setMessage ] = useState( '' );
	const [ error, setError ] = useState( '' );
	const heading = useRef();
	const moved = useRef( false );
	const titles = stepTitles();
	const done = ( config.state && config.state.done ) || [];

	// After moving between steps, focus goes to the new step's heading (not on first load).
	useEffect( () => {
		if ( moved.current && heading.current ) {
			heading.current.focus();
		}
	}, [ step ] );

	const announce = useCallback( ( text ) => {
		setMessage( '' );
		// A fresh node text makes screen readers read the same message again.
		window.setTimeout( () => setMessage( text ), 50 );
	}, [] );

	const show = async ( next, extra = {} ) => {
		setError( '' );
		moved.current = true;
		try {
			const fresh = await goTo(
				'done' === next
					? { finished: true, ...extra }
					: { step: next, ...extra }
			);
			setConfig( fresh );
		} catch ( e ) {
			setError( e.message );
			return;
		}
		setStep( next );
	};

	const next = () => {
		const at = steps.indexOf( step );
		show( at + 1 < steps.length ? steps[ at + 1 ] : 'done' );
	};

	const dismiss = async () => {
		try {
			setConfig( await goTo( { dismissed: true } ) );
			announce(
				__(
					'The setup is hidden from the menu and the notices. This page stays available from the settings screen.',
					'workos'
				)
			);
		} catch ( e ) {
			setError( e.message );
		}
	};

	const Step = STEP_COMPONENTS[ step ];
	const position = steps.indexOf( step );

	return (
		<div className="workos-onboarding">
			<nav
				className="workos-onboarding__steps"
				aria-label={ __( 'Setup steps', 'workos' ) }
			>
				<ol>
					{ steps.map( ( id, i ) => {
						const isDone = done.includes( id );
						const current = id === step;
						return (
							<li
								key={ id }
								className={
									'workos-onboarding__step' +
									( current ? ' is-current' : '' ) +
									( isDone ? ' is-done' : '' )
								}
							>
								<button
									type="button"
									className="button-link"
									aria-current={
										current ? 'step' : undefined
									}
									onClick={ () => show( id ) }
								>
									<span
										className="workos-onboarding__number"
										aria-hidden="true"
									>
										{ isDone ? '✓' : i + 1 }
									</span>
									<span className="workos-onboarding__label">
										{ titles[ id ] }
									</span>
									{ isDone && (
										<span className="screen-reader-text">
											{ __( '(done)', 'workos' ) }
										</span>
									) }
								</button>
							</li>
						);
					} ) }
				</ol>
			</nav>

			<div
				className="workos-onboarding__live screen-reader-text"
				role="status"
				aria-live="polite"
			>
				{ message }
			</div>
			{ error && (
				<div className="notice notice-error inline" role="alert">
					<p>{ error }</p>
				</div>
			) }

			<section
				className="workos-onboarding__panel"
				aria-labelledby="workos-onboarding-heading"
			>
				{ Step ? (
					<div>
						<p className="workos-onboarding__position">
							{ sprintf(
								/* translators: 1: step number, 2: number of steps. */
								__( 'Step %1$d of %2$d', 'workos' ),
								position + 1,
								steps.length
							) }
						</p>
						<h2
							id="workos-onboarding-heading"
							tabIndex="-1"
							ref={ heading }
						>
							{ titles[ step ] }
						</h2>
						<Step
							config={ config }
							setConfig={ setConfig }
							announce={ announce }
							onNext={ next }
							isLast={ position === steps.length - 1 }
						/>
					</div>
				) : (
					<Finished
						config={ config }
						heading={ heading }
						onReview={ () => show( steps[ 0 ] ) }
					/>
				) }
			</section>

			{ ! config.state.dismissed && ! config.state.finished && (
				<p className="workos-onboarding__dismiss">
					<button
						type="button"
						className="button-link"
						onClick={ dismiss }
					>
						{ __(
							'Hide this setup (everything is also on the settings screen)',
							'workos'
						) }
					</button>
				</p>
			) }
		</div>
	);
}

function Finished( { config, heading, onReview } ) {
	return (
		<div className="workos-onboarding__finished">
			<h2 id="workos-onboarding-heading" tabIndex="-1" ref={ heading }>
				{ config.network
					? __( 'This network is connected to WorkOS', 'workos' )
					: __( 'This site is connected to WorkOS', 'workos' ) }
			</h2>
			<p>
				{ config.network
					? __(
							"Sign-in, webhooks and the main site's roles are set. Shape the sign-in page next, give organizations their sites, or fine-tune any setting.",
							'workos'
						)
					: __(
							'Sign-in, webhooks and roles are set. Shape the sign-in page next, or fine-tune any setting.',
							'workos'
						) }
			</p>
			<p className="workos-onboarding__actions">
				<a
					className="button button-primary"
					href={ config.profilesUrl }
				>
					{ __( 'Design the sign-in page', 'workos' ) }
				</a>
				{ config.network && (
					<a className="button" href={ config.orgSitesUrl }>
						{ __( 'Map organizations to sites', 'workos' ) }
					</a>
				) }
				<a className="button" href={ config.settingsUrl }>
					{ __( 'All settings', 'workos' ) }
				</a>
				<button
					type="button"
					className="button-link"
					onClick={ onReview }
				>
					{ __( 'Review the steps', 'workos' ) }
				</button>
			</p>
		</div>
	);
}
