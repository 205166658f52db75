/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The wizard's five steps. Each gets the configuration (and setConfig, to take the server's
 * refreshed one), announce (the polite live region) and onNext.
 */
import { createElement, useEffect, useRef, useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';

import {
	listOrganizations,
	roleSlugs,
	saveCredentials,
	saveOrganization,
	saveRoles,
	syncBatch,
	syncCount,
	webhookListen,
	webhookStatus,
} from './api';

/** How often and how long the webhook check asks whether an event arrived. */
const POLL_MS = 2000;
const POLL_TIMES = 90;

function ErrorNote( { id, text } ) {
	if ( ! text ) {
		return null;
	}
	return (
		<div className="notice notice-error inline" id={ id } role="alert">
			<p>{ text }</p>
		</div>
	);
}

function LockedNote( { id } ) {
	return (
		<p className="description" id={ id }>
			{ __(
				'Set in wp-config.php (or by the network administrator): it cannot be changed here.',
				'workos'
			) }
		</p>
	);
}

/**
 * One setting's field: label, input, and either its help or why it cannot be changed here.
 *
 * @param {Object}   props
 * @param {string}   props.id          The input's id (its help is `${id}-help`).
 * @param {string}   props.label       Label.
 * @param {string}   props.type        Input type ('text', 'password', 'url').
 * @param {string}   props.value       Value.
 * @param {Function} props.onChange    Called with the new value.
 * @param {boolean}  props.locked      Set in wp-config.php (or by the network).
 * @param {*}        props.help        What to type.
 * @param {string}   props.placeholder Placeholder.
 */
function SettingField( {
	id,
	label,
	type = 'text',
	value,
	onChange,
	locked,
	help,
	placeholder,
} ) {
	const helpId = `${ id }-help`;
	return (
		<div className="workos-onboarding__field">
			<label htmlFor={ id }>{ label }</label>
			<input
				id={ id }
				type={ type }
				className="regular-text code"
				autoComplete="off"
				spellCheck="false"
				placeholder={ placeholder }
				value={ value }
				disabled={ !! locked }
				onChange={ ( e ) => onChange( e.target.value ) }
				aria-describedby={ helpId }
			/>
			{ locked ? (
				<LockedNote id={ helpId } />
			) : (
				<p className="description" id={ helpId }>
					{ help }
				</p>
			) }
		</div>
	);
}

/**
 * On the network's wizard: a per-site setting is saved for the main site; where each site sets its own,
 * and where an organization's members are given other sites (Network Admin → Settings → WorkOS sites).
 *
 * @param {Object} props
 * @param {Object} props.config The wizard's configuration.
 * @param {string} props.text   What this step saves, and where the other sites set it.
 */
function NetworkSiteNote( { config, text } ) {
	return (
		<div className="notice notice-info inline workos-onboarding__network-note">
			<p>
				{ text }{ ' ' }
				<a href={ config.orgSitesUrl }>
					{ __(
						"Give an organization's members other sites (WorkOS sites)",
						'workos'
					) }
				</a>
			</p>
		</div>
	);
}

function Actions( { children } ) {
	return <div className="workos-onboarding__actions">{ children }</div>;
}

/**
 * The check results of ConnectionCheck, one line each.
 * @param root0
 * @param root0.check
 */
function Checks( { check } ) {
	if ( ! check ) {
		return null;
	}
	const words = {
		good: __( 'OK', 'workos' ),
		failed: __( 'Failed', 'workos' ),
		unreachable: __( 'Not reached', 'workos' ),
		skipped: __( 'Not checked', 'workos' ),
	};
	return (
		<ul className="workos-onboarding__checks">
			{ check.checks.map( ( c ) => (
				<li key={ c.id } className={ 'is-' + c.status }>
					<strong>
						{ c.label }: { words[ c.status ] || c.status }
					</strong>{ ' ' }
					{ c.message }
				</li>
			) ) }
		</ul>
	);
}

export function CredentialsStep( { config, setConfig, announce, onNext } ) {
	const creds = config.credentials;
	const locked = config.locked || {};
	const [ apiKey, setApiKey ] = useState( '' );
	const [ clientId, setClientId ] = useState( creds.clientId || '' );
	const [ baseUrl, setBaseUrl ] = useState(
		creds.baseUrl && creds.baseUrl !== creds.defaultBase
			? creds.baseUrl
			: ''
	);
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState( '' );
	const [ check, setCheck ] = useState( null );
	const [ saved, setSaved ] = useState(
		config.state.done.includes( 'credentials' ) && creds.configured
	);

	const submit = async ( event ) => {
		event.preventDefault();
		setBusy( true );
		setError( '' );
		setCheck( null );
		announce( __( 'Asking WorkOS…', 'workos' ) );
		try {
			const data = {};
			if ( ! locked.api_key ) {
				data.api_key = apiKey;
			}
			if ( ! locked.client_id ) {
				data.client_id = clientId;
			}
			if ( ! locked.api_base_url ) {
				data.api_base_url = baseUrl;
			}
			const answer = await saveCredentials( data );
			setCheck( answer.check );
			setConfig( answer.config );
			setSaved( answer.saved );
			setApiKey( '' );
			announce(
				answer.saved
					? __(
							'WorkOS accepted the credentials; they are saved.',
							'workos'
						)
					: __(
							'WorkOS did not accept the credentials; nothing was saved. See the checks below.',
							'workos'
						)
			);
		} catch ( e ) {
			setError( e.message );
		} finally {
			setBusy( false );
		}
	};

	return (
		<form onSubmit={ submit } noValidate>
			<p>
				{ sprintf(
					/* translators: %s: environment name (Production, Staging). */
					__(
						'Copy the API key and the client ID of your WorkOS %s environment from the WorkOS dashboard (API Keys). They are tested with WorkOS before they are saved.',
						'workos'
					),
					config.environmentName
				) }
				{ config.network &&
					' ' +
						__(
							"They are the network's: every site of the network signs in with them.",
							'workos'
						) }
			</p>
			{ ! config.extensionReady && (
				<ErrorNote
					text={ __(
						'The workos PHP extension is not loaded, so WorkOS cannot be asked.',
						'workos'
					) }
				/>
			) }
			<SettingField
				id="workos-onboarding-api-key"
				label={ __( 'API key', 'workos' ) }
				type="password"
				value={ apiKey }
				onChange={ setApiKey }
				locked={ locked.api_key }
				help={
					creds.apiKeyMasked
						? sprintf(
								/* translators: %s: the saved API key, masked. */
								__(
									'Saved: %s. Leave blank to keep it.',
									'workos'
								),
								creds.apiKeyMasked
							)
						: __( 'Starts with sk_.', 'workos' )
				}
			/>
			<SettingField
				id="workos-onboarding-client-id"
				label={ __( 'Client ID', 'workos' ) }
				value={ clientId }
				onChange={ setClientId }
				locked={ locked.client_id }
				help={ __( 'Starts with client_.', 'workos' ) }
			/>
			<details
				className="workos-onboarding__advanced"
				open={ !! baseUrl }
			>
				<summary>{ __( 'Advanced', 'workos' ) }</summary>
				<SettingField
					id="workos-onboarding-base-url"
					label={ __( 'API base URL', 'workos' ) }
					type="url"
					placeholder={ creds.defaultBase }
					value={ baseUrl }
					onChange={ setBaseUrl }
					locked={ locked.api_base_url }
					help={ __(
						'Leave empty unless WorkOS gave you another address. To test a different address, type the API key too.',
						'workos'
					) }
				/>
			</details>
			<ErrorNote text={ error } />
			<Checks check={ check } />
			<Actions>
				<button
					type="submit"
					className="button button-primary"
					disabled={ busy || ! config.extensionReady }
					aria-busy={ busy }
				>
					{ busy
						? __( 'Testing…', 'workos' )
						: __( 'Test and save', 'workos' ) }
				</button>
				{ saved && (
					<button type="button" className="button" onClick={ onNext }>
						{ __( 'Continue', 'workos' ) }
					</button>
				) }
			</Actions>
		</form>
	);
}

export function OrganizationStep( { config, setConfig, announce, onNext } ) {
	const [ orgs, setOrgs ] = useState( null );
	const [ picked, setPicked ] = useState( config.organizationId || '' );
	const [ create, setCreate ] = useState( '' );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState( '' );
	const locked = ( config.locked || {} ).organization_id;

	const load = async ( refresh ) => {
		setError( '' );
		try {
			const answer = await listOrganizations( refresh );
			setOrgs( answer.organizations );
			if ( refresh ) {
				announce(
					sprintf(
						/* translators: %d: number of organizations. */
						_n(
							'%d organization listed.',
							'%d organizations listed.',
							answer.organizations.length,
							'workos'
						),
						answer.organizations.length
					)
				);
			}
		} catch ( e ) {
			setOrgs( [] );
			setError( e.message );
		}
	};

	useEffect( () => {
		load( false );
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [] );

	const submit = async ( event ) => {
		event.preventDefault();
		setBusy( true );
		setError( '' );
		try {
			const answer = await saveOrganization(
				create.trim()
					? { create: create.trim() }
					: { organization_id: picked }
			);
			setConfig( answer.config );
			announce(
				sprintf(
					/* translators: %s: organization name. */
					__( 'Organization "%s" saved.', 'workos' ),
					answer.organization.name
				)
			);
			onNext();
		} catch ( e ) {
			setError( e.message );
		} finally {
			setBusy( false );
		}
	};

	return (
		<form onSubmit={ submit } noValidate>
			{ config.network ? (
				<NetworkSiteNote
					config={ config }
					text={ sprintf(
						/* translators: %s: the main site's name. */
						__(
							'The organization whose members sign in to the main site, %s: its roles, members and directories apply there. Every other site of the network picks its own on its WorkOS settings (Organization tab).',
							'workos'
						),
						config.mainSiteName
					) }
				/>
			) : (
				<p>
					{ __(
						'The organization whose members sign in here: its roles, members and directories apply to this site.',
						'workos'
					) }
				</p>
			) }
			{ locked ? (
				<LockedNote id="workos-onboarding-org-help" />
			) : (
				<div>
					<div className="workos-onboarding__field">
						<label htmlFor="workos-onboarding-org">
							{ __( 'Organization', 'workos' ) }
						</label>
						<div className="workos-onboarding__inline">
							<select
								id="workos-onboarding-org"
								value={ picked }
								disabled={ null === orgs || !! create.trim() }
								onChange={ ( e ) =>
									setPicked( e.target.value )
								}
							>
								<option value="">
									{ null === orgs
										? __( 'Loading…', 'workos' )
										: __( '— Choose —', 'workos' ) }
								</option>
								{ ( orgs || [] ).map( ( org ) => (
									<option key={ org.id } value={ org.id }>
										{ org.domains.length
											? sprintf(
													/* translators: 1: organization name, 2: its domains. */
													__(
														'%1$s (%2$s)',
														'workos'
													),
													org.name,
													org.domains.join( ', ' )
												)
											: org.name }
									</option>
								) ) }
							</select>
							<button
								type="button"
								className="button"
								onClick={ () => load( true ) }
							>
								{ __( 'Refresh list', 'workos' ) }
							</button>
						</div>
					</div>
					<div className="workos-onboarding__field">
						<label htmlFor="workos-onboarding-org-create">
							{ __(
								'Or create a new organization named',
								'workos'
							) }
						</label>
						<input
							id="workos-onboarding-org-create"
							type="text"
							className="regular-text"
							value={ create }
							onChange={ ( e ) => setCreate( e.target.value ) }
						/>
					</div>
				</div>
			) }
			<ErrorNote text={ error } />
			<Actions>
				{ ! locked && (
					<button
						type="submit"
						className="button button-primary"
						disabled={ busy || ( ! picked && ! create.trim() ) }
						aria-busy={ busy }
					>
						{ __( 'Save and continue', 'workos' ) }
					</button>
				) }
				<button type="button" className="button" onClick={ onNext }>
					{ locked
						? __( 'Continue', 'workos' )
						: __( 'Skip for now', 'workos' ) }
				</button>
			</Actions>
		</form>
	);
}

/**
 * A read-only value with a button that copies it.
 * @param root0
 * @param root0.id
 * @param root0.label
 * @param root0.value
 * @param root0.announce
 */
function CopyField( { id, label, value, announce } ) {
	const field = useRef();
	const copy = async () => {
		try {
			await window.navigator.clipboard.writeText( value );
		} catch {
			// No clipboard API (http, old browser): select it for Ctrl+C.
			field.current.select();
			window.document.execCommand( 'copy' );
		}
		announce( __( 'Copied to the clipboard.', 'workos' ) );
	};
	return (
		<div className="workos-onboarding__field">
			<label htmlFor={ id }>{ label }</label>
			<div className="workos-onboarding__inline">
				<input
					id={ id }
					ref={ field }
					type="text"
					className="large-text code"
					readOnly
					value={ value }
				/>
				<button type="button" className="button" onClick={ copy }>
					{ __( 'Copy', 'workos' ) }
					<span className="screen-reader-text"> { label }</span>
				</button>
			</div>
		</div>
	);
}

function WebhookResult( { status } ) {
	if ( ! status || ! status.listening ) {
		return null;
	}
	if ( status.received ) {
		return (
			<div className="notice notice-success inline workos-onboarding__webhook-ok">
				<p>
					{ sprintf(
						/* translators: 1: event type, 2: time, 3: what the site did with it. */
						__(
							'Received %1$s at %2$s (%3$s). Webhooks work.',
							'workos'
						),
						status.received.event,
						new Date( status.received.at ).toLocaleTimeString(),
						status.received.outcome || status.received.status
					) }
				</p>
			</div>
		);
	}
	if ( status.rejected ) {
		return (
			<div className="notice notice-error inline">
				<p>
					{ __(
						'A delivery arrived but its signature did not match: the webhook secret saved here is not the one WorkOS signs with. Copy it again from the WorkOS dashboard.',
						'workos'
					) }
				</p>
			</div>
		);
	}
	return (
		<p className="workos-onboarding__waiting">
			<span className="spinner is-active" aria-hidden="true" />
			{ __( 'Waiting for an event from WorkOS…', 'workos' ) }
		</p>
	);
}

export function WebhookStep( { config, setConfig, announce, onNext } ) {
	const [ secret, setSecret ] = useState( '' );
	const [ status, setStatus ] = useState( null );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState( '' );
	const polls = useRef( 0 );
	const timer = useRef( null );
	const locked = ( config.locked || {} ).webhook_secret;

	const stop = () => {
		if ( timer.current ) {
			window.clearTimeout( timer.current );
			timer.current = null;
		}
	};
	useEffect( () => stop, [] );

	const poll = async () => {
		try {
			const answer = await webhookStatus();
			setStatus( answer );
			if ( answer.received ) {
				announce(
					sprintf(
						/* translators: %s: event type. */
						__( 'Event %s received: webhooks work.', 'workos' ),
						answer.received.event
					)
				);
				return;
			}
			if ( answer.rejected ) {
				announce(
					__(
						'A delivery was refused: the webhook secret differs.',
						'workos'
					)
				);
				return;
			}
		} catch ( e ) {
			setError( e.message );
			return;
		}
		polls.current += 1;
		if ( polls.current < POLL_TIMES ) {
			timer.current = window.setTimeout( poll, POLL_MS );
		}
	};

	const listen = async ( event ) => {
		event.preventDefault();
		stop();
		setBusy( true );
		setError( '' );
		try {
			const answer = await webhookListen(
				! locked && secret.trim() ? { secret } : {}
			);
			setSecret( '' );
			setStatus( answer );
			if ( answer.config ) {
				setConfig( answer.config ); // The saved secret, masked.
			}
			if ( ! answer.secretSet ) {
				setError(
					__(
						'No webhook secret is saved yet: paste the signing secret from the WorkOS dashboard.',
						'workos'
					)
				);
				return;
			}
			announce(
				__(
					'Listening. Send a test event from the WorkOS dashboard now.',
					'workos'
				)
			);
			polls.current = 0;
			timer.current = window.setTimeout( poll, POLL_MS );
		} catch ( e ) {
			setError( e.message );
		} finally {
			setBusy( false );
		}
	};

	const received = !! ( status && status.received );
	return (
		<form onSubmit={ listen } noValidate>
			<ol className="workos-onboarding__howto">
				<li>
					{ __(
						'In the WorkOS dashboard, open Webhooks and add an endpoint with this address:',
						'workos'
					) }
				</li>
			</ol>
			<CopyField
				id="workos-onboarding-webhook-url"
				label={ __( 'Webhook endpoint', 'workos' ) }
				value={ config.webhook.url }
				announce={ announce }
			/>
			<ol className="workos-onboarding__howto" start="2">
				<li>
					{ __(
						"Copy the endpoint's signing secret from WorkOS and paste it here:",
						'workos'
					) }
				</li>
			</ol>
			<SettingField
				id="workos-onboarding-webhook-secret"
				label={ __( 'Webhook secret', 'workos' ) }
				type="password"
				value={ secret }
				onChange={ setSecret }
				locked={ locked }
				help={
					config.webhook.secretMasked
						? sprintf(
								/* translators: %s: the saved secret, masked. */
								__(
									'Saved: %s. Leave blank to keep it.',
									'workos'
								),
								config.webhook.secretMasked
							)
						: __( 'Nothing saved yet.', 'workos' )
				}
			/>
			<ol className="workos-onboarding__howto" start="3">
				<li>
					{ __(
						"Save, then send a test event from the WorkOS dashboard (or change anything there, such as an organization's name). This check shows when it arrives.",
						'workos'
					) }
				</li>
			</ol>
			<ErrorNote text={ error } />
			<div aria-live="polite">
				<WebhookResult status={ status } />
			</div>
			<Actions>
				<button
					type="submit"
					className="button button-primary"
					disabled={ busy }
					aria-busy={ busy }
				>
					{ __( 'Save and wait for a test event', 'workos' ) }
				</button>
				<button
					type="button"
					className={ received ? 'button button-primary' : 'button' }
					onClick={ () => {
						stop();
						onNext();
					} }
				>
					{ received
						? __( 'Continue', 'workos' )
						: __( 'Skip for now', 'workos' ) }
				</button>
			</Actions>
		</form>
	);
}

export function RolesStep( { config, setConfig, announce, onNext } ) {
	const [ rows, setRows ] = useState(
		config.roleMap && config.roleMap.length
			? config.roleMap
			: [
					{ from: 'admin', to: 'administrator' },
					{ from: 'member', to: 'subscriber' },
				]
	);
	const [ defaultRole, setDefaultRole ] = useState(
		config.defaultRole || ''
	);
	const [ slugs, setSlugs ] = useState( [] );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState( '' );
	const locked = config.locked || {};

	useEffect( () => {
		roleSlugs()
			.then( ( answer ) => setSlugs( answer.slugs ) )
			.catch( () => setSlugs( [ 'admin', 'member' ] ) );
	}, [] );

	const change = ( i, key, value ) =>
		setRows(
			rows.map( ( r, j ) => ( i === j ? { ...r, [ key ]: value } : r ) )
		);

	const submit = async ( event ) => {
		event.preventDefault();
		setBusy( true );
		setError( '' );
		try {
			const answer = await saveRoles( {
				role_map: rows.filter( ( r ) => r.from.trim() ),
				default_role: defaultRole,
			} );
			setConfig( answer.config );
			announce( __( 'Role map saved.', 'workos' ) );
			onNext();
		} catch ( e ) {
			setError( e.message );
		} finally {
			setBusy( false );
		}
	};

	return (
		<form onSubmit={ submit } noValidate>
			<p>
				{ __(
					'Which WordPress role each WorkOS role (or directory group) gives. The first line a person holds wins.',
					'workos'
				) }
			</p>
			{ config.network && (
				<NetworkSiteNote
					config={ config }
					text={ sprintf(
						/* translators: %s: the main site's name. */
						__(
							"Roles are each site's own: this map is saved for the main site, %s. Every other site's administrator sets its map on its WorkOS settings (Users tab).",
							'workos'
						),
						config.mainSiteName
					) }
				/>
			) }
			<datalist id="workos-onboarding-slugs">
				{ slugs.map( ( s ) => (
					<option key={ s } value={ s } />
				) ) }
			</datalist>
			{ locked.role_map ? (
				<LockedNote id="workos-onboarding-roles-help" />
			) : (
				<table className="widefat striped workos-onboarding__roles">
					<thead>
						<tr>
							<th scope="col">
								{ __( 'WorkOS role', 'workos' ) }
							</th>
							<th scope="col">
								{ __( 'WordPress role', 'workos' ) }
							</th>
							<th scope="col">
								<span className="screen-reader-text">
									{ __( 'Actions', 'workos' ) }
								</span>
							</th>
						</tr>
					</thead>
					<tbody>
						{ rows.map( ( row, i ) => (
							<tr key={ i }>
								<td>
									<input
										type="text"
										className="code"
										list="workos-onboarding-slugs"
										aria-label={ sprintf(
											/* translators: %d: row number. */
											__(
												'WorkOS role, row %d',
												'workos'
											),
											i + 1
										) }
										value={ row.from }
										onChange={ ( e ) =>
											change( i, 'from', e.target.value )
										}
									/>
								</td>
								<td>
									<select
										aria-label={ sprintf(
											/* translators: %d: row number. */
											__(
												'WordPress role, row %d',
												'workos'
											),
											i + 1
										) }
										value={ row.to }
										onChange={ ( e ) =>
											change( i, 'to', e.target.value )
										}
									>
										{ config.roles.map( ( r ) => (
											<option
												key={ r.value }
												value={ r.value }
											>
												{ r.label }
											</option>
										) ) }
									</select>
								</td>
								<td>
									<button
										type="button"
										className="button-link"
										onClick={ () => {
											setRows(
												rows.filter(
													( r, j ) => j !== i
												)
											);
											announce(
												__( 'Row removed.', 'workos' )
											);
										} }
									>
										{ __( 'Remove', 'workos' ) }
										<span className="screen-reader-text">
											{ ' ' +
												sprintf(
													/* translators: %d: row number. */
													__( 'row %d', 'workos' ),
													i + 1
												) }
										</span>
									</button>
								</td>
							</tr>
						) ) }
					</tbody>
				</table>
			) }
			{ ! locked.role_map && (
				<p>
					<button
						type="button"
						className="button"
						onClick={ () =>
							setRows( [
								...rows,
								{ from: '', to: 'subscriber' },
							] )
						}
					>
						{ __( 'Add a role', 'workos' ) }
					</button>
				</p>
			) }
			<div className="workos-onboarding__field">
				<label htmlFor="workos-onboarding-default-role">
					{ __( 'Default role', 'workos' ) }
				</label>
				<select
					id="workos-onboarding-default-role"
					value={ defaultRole }
					disabled={ locked.default_role }
					onChange={ ( e ) => setDefaultRole( e.target.value ) }
					aria-describedby="workos-onboarding-default-role-help"
				>
					<option value="">
						{ __( "WordPress's default", 'workos' ) }
					</option>
					{ config.roles.map( ( r ) => (
						<option key={ r.value } value={ r.value }>
							{ r.label }
						</option>
					) ) }
				</select>
				<p
					className="description"
					id="workos-onboarding-default-role-help"
				>
					{ __(
						'The role of new users whose WorkOS roles are not mapped.',
						'workos'
					) }
				</p>
			</div>
			<ErrorNote text={ error } />
			<Actions>
				<button
					type="submit"
					className="button button-primary"
					disabled={ busy || locked.role_map }
					aria-busy={ busy }
				>
					{ __( 'Save and continue', 'workos' ) }
				</button>
				<button type="button" className="button" onClick={ onNext }>
					{ __( 'Skip for now', 'workos' ) }
				</button>
			</Actions>
		</form>
	);
}

export function SyncStep( { config, announce, onNext } ) {
	const [ role, setRole ] = useState( '' );
	const [ counts, setCounts ] = useState( null );
	const [ progress, setProgress ] = useState( null );
	const [ problems, setProblems ] = useState( [] );
	const [ running, setRunning ] = useState( false );
	const [ error, setError ] = useState( '' );

	useEffect( () => {
		setCounts( null );
		syncCount( role )
			.then( setCounts )
			.catch( ( e ) => setError( e.message ) );
	}, [ role ] );

	const run = async () => {
		setRunning( true );
		setError( '' );
		setProblems( [] );
		const total = counts.unlinked;
		let offset = 0;
		let handled = 0;
		let linked = 0;
		let found = [];
		setProgress( { handled: 0, total, linked: 0 } );
		announce( __( 'Syncing users…', 'workos' ) );
		try {
			for (;;) {
				const answer = await syncBatch( { offset, role } );
				offset = answer.offset;
				handled += answer.processed;
				linked += answer.linked;
				found = found.concat( answer.problems );
				setProblems( found );
				setProgress( {
					handled,
					total: Math.max( total, handled ),
					linked,
				} );
				if ( answer.done || ! answer.processed ) {
					break;
				}
			}
			announce(
				sprintf(
					/* translators: 1: users linked, 2: users with a problem. */
					__(
						'Sync finished: %1$d linked, %2$d not linked.',
						'workos'
					),
					linked,
					found.length
				)
			);
			setCounts( await syncCount( role ) );
		} catch ( e ) {
			setError( e.message );
		} finally {
			setRunning( false );
		}
	};

	return (
		<div>
			<p>
				{ config.network
					? __(
							'Optional: give every user of the network who is not linked yet — on any of its sites — a WorkOS user (created, or an existing one with the same verified email), so they can sign in through WorkOS. People can also be linked one by one when they first sign in.',
							'workos'
						)
					: __(
							'Optional: give every WordPress user who is not linked yet a WorkOS user (created, or an existing one with the same verified email), so they can sign in through WorkOS. People can also be linked one by one when they first sign in.',
							'workos'
						) }
			</p>
			{ ! config.network && (
				<div className="workos-onboarding__field">
					<label htmlFor="workos-onboarding-sync-role">
						{ __( 'Users to sync', 'workos' ) }
					</label>
					<select
						id="workos-onboarding-sync-role"
						value={ role }
						disabled={ running }
						onChange={ ( e ) => setRole( e.target.value ) }
					>
						<option value="">
							{ __( 'Every role', 'workos' ) }
						</option>
						{ config.roles.map( ( r ) => (
							<option key={ r.value } value={ r.value }>
								{ r.label }
							</option>
						) ) }
					</select>
				</div>
			) }
			<p className="workos-onboarding__counts">
				{ counts
					? sprintf(
							/* translators: 1: users not linked, 2: users linked. */
							__(
								'%1$d not linked yet, %2$d already linked.',
								'workos'
							),
							counts.unlinked,
							counts.linked
						)
					: __( 'Counting…', 'workos' ) }
			</p>
			{ progress && (
				<div className="workos-onboarding__progress">
					<label htmlFor="workos-onboarding-sync-progress">
						{ sprintf(
							/* translators: 1: users handled, 2: all of them, 3: users linked. */
							__( '%1$d of %2$d handled, %3$d linked', 'workos' ),
							progress.handled,
							progress.total,
							progress.linked
						) }
					</label>
					<progress
						id="workos-onboarding-sync-progress"
						max={ progress.total || 1 }
						value={ progress.total ? progress.handled : 1 }
					/>
				</div>
			) }
			{ problems.length > 0 && (
				<div>
					<h3>{ __( 'Not linked', 'workos' ) }</h3>
					<ul className="workos-onboarding__problems">
						{ problems.map( ( p ) => (
							<li key={ p.id }>
								<strong>{ p.email }</strong>: { p.reason }
							</li>
						) ) }
					</ul>
				</div>
			) }
			<ErrorNote text={ error } />
			<Actions>
				<button
					type="button"
					className="button button-primary"
					disabled={ running || ! counts || ! counts.unlinked }
					aria-busy={ running }
					onClick={ run }
				>
					{ running && __( 'Syncing…', 'workos' ) }
					{ ! running &&
						counts &&
						0 === counts.unlinked &&
						__( 'Every user is linked', 'workos' ) }
					{ ! running &&
						( ! counts || counts.unlinked > 0 ) &&
						sprintf(
							/* translators: %d: number of users. */
							_n(
								'Sync %d user',
								'Sync %d users',
								counts ? counts.unlinked : 0,
								'workos'
							),
							counts ? counts.unlinked : 0
						) }
				</button>
				<button
					type="button"
					className={
						progress && ! running
							? 'button button-primary'
							: 'button'
					}
					disabled={ running }
					onClick={ onNext }
				>
					{ __( 'Finish setup', 'workos' ) }
				</button>
			</Actions>
		</div>
	);
}
