/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The profile editor: every field of the model (REFERENCE-API §9.1), saved whole through
 * POST /admin/profiles (new) or PUT /admin/profiles/{id}; the server's refusal is shown in a notice
 * and beside the field it names (`data.field`). Beside the form: the live preview and Embed & URLs.
 */
import {
	createElement,
	useCallback,
	useEffect,
	useRef,
	useState,
} from '@wordpress/element';
import {
	BaseControl,
	Button,
	CheckboxControl,
	ColorPalette,
	Notice,
	Panel,
	PanelBody,
	RadioControl,
	SelectControl,
	Spinner,
	ToggleControl,
} from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import { createProfile, listOrganizations, updateProfile } from './api';
import EmbedPanel from './EmbedPanel';
import Preview, { buttonContrast } from './Preview';
import { FACTORS, METHODS, factorName, methodName } from './labels';

/** A new profile's fields (the model's defaults). */
export const NEW_PROFILE = {
	id: 0,
	slug: '',
	title: '',
	methods: [ 'password', 'magic_code' ],
	organization_id: '',
	signup: { enabled: false, require_invite: false },
	invite_flow: true,
	password_reset_flow: true,
	auto_login_after_reset: true,
	mfa: { enforce: 'if_required', factors: [ 'totp' ] },
	branding: {
		heading: '',
		subheading: '',
		primary_color: '',
		logo_mode: 'default',
		logo_attachment_id: 0,
		logo_url: '',
	},
	custom_path: '',
	post_login_redirect: '',
	forward_query_args: false,
	mode: 'custom',
};

/**
 * Keys the server adds to a profile (EditorProfile) that are not fields.
 * @param draft
 */
function payload( draft ) {
	const {
		id,
		login_url: a,
		custom_url: b,
		organization_name: c,
		...fields
	} = draft;
	const { logo_url: d, ...branding } = fields.branding || {};
	return { ...fields, branding };
}

/**
 * A copy of `obj` with `value` at the dotted `path`.
 *
 * @param {Object} obj   The object.
 * @param {string} path  e.g. `branding.heading`.
 * @param {*}      value The value.
 * @return {Object} The copy.
 */
function setIn( obj, path, value ) {
	const [ head, ...rest ] = path.split( '.' );
	return {
		...obj,
		[ head ]: rest.length
			? setIn( obj[ head ] || {}, rest.join( '.' ), value )
			: value,
	};
}

/**
 * The message beside a field the server refused.
 *
 * @param {Object} props
 * @param {string} props.id      The element's id (the control's aria-describedby names it).
 * @param {string} props.message The message ('' for none).
 */
function FieldError( { id, message } ) {
	if ( ! message ) {
		return null;
	}
	return (
		<p id={ id } className="workos-pp-field-error">
			{ message }
		</p>
	);
}

/**
 * A text field with help and the server's error for it (BaseControl + input, so the ids are ours
 * on every WordPress version: TextControl ignores a given id before WordPress 6.2).
 *
 * @param {Object}   props
 * @param {string}   props.field       The model's field name (`branding.heading`).
 * @param {Object}   props.errors      Field → message.
 * @param {string}   props.label       The label.
 * @param {string}   props.help        Help text ('' for none).
 * @param {string}   props.value       The value.
 * @param {Function} props.onChange    Called with the new value.
 * @param {boolean}  props.disabled    Whether it cannot be changed.
 * @param {string}   props.placeholder Placeholder.
 */
function Text( {
	field,
	errors,
	label,
	help,
	value,
	onChange,
	disabled,
	placeholder,
} ) {
	const id = 'workos-pp-' + field.replace( /[^a-z0-9]+/gi, '-' );
	const error = errors[ field ] || '';
	const describedBy = [
		help ? id + '__help' : '',
		error ? id + '-error' : '',
	]
		.filter( Boolean )
		.join( ' ' );
	return (
		<div className="workos-pp-control">
			<BaseControl id={ id } label={ label } help={ help }>
				<input
					id={ id }
					className="components-text-control__input"
					type="text"
					value={ value }
					disabled={ disabled }
					placeholder={ placeholder }
					aria-invalid={ error ? 'true' : undefined }
					aria-describedby={ describedBy || undefined }
					onChange={ ( event ) => onChange( event.target.value ) }
				/>
			</BaseControl>
			<FieldError id={ id + '-error' } message={ error } />
		</div>
	);
}

/**
 * @param {Object}   props
 * @param {Object}   props.initial The stored profile (EditorProfile), or NEW_PROFILE.
 * @param {Object}   props.config  window.workosProfileAdmin.
 * @param {Function} props.onSaved Called with the saved profile.
 * @param {Function} props.onBack  Back to the list (the caller asks about unsaved changes).
 * @param {Function} props.onDirty Told whether the draft differs from what is stored.
 */
export default function ProfileEditor( {
	initial,
	config,
	onSaved,
	onBack,
	onDirty,
} ) {
	const [ stored, setStored ] = useState( initial );
	const [ draft, setDraft ] = useState( initial );
	const [ errors, setErrors ] = useState( {} );
	const [ notice, setNotice ] = useState( null );
	const [ saving, setSaving ] = useState( false );
	const [ orgs, setOrgs ] = useState( {
		list: [],
		error: '',
		loading: true,
	} );
	const noticeRef = useRef();

	const isNew = ! stored.id;
	const isDefault = stored.slug === 'default' && ! isNew;
	const dirty =
		JSON.stringify( payload( draft ) ) !==
		JSON.stringify( payload( stored ) );

	useEffect( () => {
		onDirty( dirty );
	}, [ dirty, onDirty ] );

	const loadOrgs = useCallback( async ( refresh ) => {
		setOrgs( ( o ) => ( { ...o, loading: true } ) );
		try {
			const body = await listOrganizations( refresh );
			setOrgs( {
				list: body.organizations || [],
				error: body.error || '',
				loading: false,
			} );
		} catch ( e ) {
			setOrgs( ( o ) => ( { ...o, error: e.message, loading: false } ) );
		}
	}, [] );

	useEffect( () => {
		loadOrgs( false );
	}, [ loadOrgs ] );

	useEffect( () => {
		if ( notice && noticeRef.current ) {
			noticeRef.current.focus();
		}
	}, [ notice ] );

	const set = ( path ) => ( value ) => {
		setDraft( ( d ) => setIn( d, path, value ) );
		if ( errors[ path ] ) {
			setErrors( ( e ) => ( { ...e, [ path ]: '' } ) );
		}
	};

	const toggleIn = ( path, list, value ) => ( checked ) => {
		const next = checked
			? list.filter(
					( v ) =>
						v === value || ( draft[ path ] || [] ).includes( v )
				)
			: ( draft[ path ] || [] ).filter( ( v ) => v !== value );
		set( path )( next );
	};

	const factors = ( draft.mfa && draft.mfa.factors ) || [];
	const toggleFactor = ( value ) => ( checked ) => {
		set( 'mfa.factors' )(
			checked
				? FACTORS.filter(
						( f ) => f === value || factors.includes( f )
					)
				: factors.filter( ( f ) => f !== value )
		);
	};

	const save = async ( event ) => {
		event.preventDefault();
		setSaving( true );
		setNotice( null );
		try {
			const saved = isNew
				? await createProfile( payload( draft ) )
				: await updateProfile( stored.id, payload( draft ) );
			setStored( saved );
			setDraft( saved );
			setErrors( {} );
			setNotice( {
				status: 'success',
				message: sprintf(
					/* translators: %s: profile title. */
					__( 'Profile "%s" saved.', 'workos' ),
					saved.title
				),
			} );
			// The list names the pinned organization from the list this editor already has.
			const org = orgs.list.find(
				( o ) => o.id === saved.organization_id
			);
			onSaved( {
				...saved,
				organization_name:
					saved.organization_name || ( org ? org.name : '' ),
			} );
		} catch ( e ) {
			setErrors( e.field ? { [ e.field ]: e.message } : {} );
			setNotice( {
				status: 'error',
				message: sprintf(
					/* translators: %s: the server's reason. */
					__( 'The profile was not saved: %s', 'workos' ),
					e.message
				),
			} );
		} finally {
			setSaving( false );
		}
	};

	const chooseLogo = () => {
		const media = window.wp && window.wp.media;
		if ( ! media ) {
			return;
		}
		const frame = media( {
			title: __( 'Choose the login logo', 'workos' ),
			library: { type: 'image' },
			button: { text: __( 'Use this image', 'workos' ) },
			multiple: false,
		} );
		frame.on( 'select', () => {
			const attachment = frame
				.state()
				.get( 'selection' )
				.first()
				.toJSON();
			setDraft( ( d ) => ( {
				...d,
				branding: {
					...d.branding,
					logo_mode: 'custom',
					logo_attachment_id: attachment.id,
					logo_url: attachment.url,
				},
			} ) );
			setErrors( ( e ) => ( {
				...e,
				'branding.logo_attachment_id': '',
			} ) );
		} );
		frame.open();
	};

	// The pinned organization: WorkOS's list by name; an id WorkOS did not list is kept as is.
	const orgOptions = [
		{
			value: '',
			label: __(
				'None (use the site-wide organization setting)',
				'workos'
			),
		},
		...orgs.list.map( ( o ) => ( { value: o.id, label: o.name } ) ),
	];
	if (
		draft.organization_id &&
		! orgs.list.some( ( o ) => o.id === draft.organization_id )
	) {
		orgOptions.push( {
			value: draft.organization_id,
			label: sprintf(
				/* translators: %s: organization id. */
				__( '%s (not in the list WorkOS returned)', 'workos' ),
				draft.organization_id
			),
		} );
	}

	const branding = draft.branding || {};
	const methods = draft.methods || [];
	const contrast = buttonContrast( branding.primary_color );

	return (
		<form className="workos-pp-editor" onSubmit={ save } noValidate>
			<div className="workos-pp-editor-head">
				<h2 className="workos-pp-editor-title">
					{ isNew
						? __( 'New login profile', 'workos' )
						: sprintf(
								/* translators: %s: profile title. */
								__( 'Edit “%s”', 'workos' ),
								stored.title
							) }
				</h2>
				<Button variant="link" onClick={ onBack }>
					{ __( '← All login profiles', 'workos' ) }
				</Button>
			</div>
			{ notice && (
				<div
					ref={ noticeRef }
					tabIndex={ -1 }
					className="workos-pp-notice"
				>
					<Notice
						status={ notice.status }
						onRemove={ () => setNotice( null ) }
					>
						{ notice.message }
					</Notice>
				</div>
			) }
			<div className="workos-pp-columns">
				<div className="workos-pp-main">
					<Panel>
						<PanelBody title={ __( 'General', 'workos' ) }>
							<Text
								field="title"
								errors={ errors }
								label={ __( 'Title', 'workos' ) }
								help={ __(
									'For you; visitors do not see it.',
									'workos'
								) }
								value={ draft.title }
								onChange={ set( 'title' ) }
							/>
							<Text
								field="slug"
								errors={ errors }
								label={ __( 'Slug', 'workos' ) }
								help={
									isDefault
										? __(
												'The default profile’s slug is always “default”: it is the one used when nothing else applies.',
												'workos'
											)
										: __(
												'Lower-case letters, digits and dashes; used in the login URL and the shortcode.',
												'workos'
											)
								}
								value={ draft.slug }
								disabled={ isDefault }
								onChange={ set( 'slug' ) }
							/>
							<RadioControl
								label={ __( 'Login mode', 'workos' ) }
								selected={ draft.mode }
								options={ [
									{
										value: 'custom',
										label: __(
											'On this site: the branded card below, served by WordPress',
											'workos'
										),
									},
									{
										value: 'authkit_redirect',
										label: __(
											'WorkOS-hosted: send visitors to AuthKit’s page',
											'workos'
										),
									},
								] }
								onChange={ set( 'mode' ) }
							/>
						</PanelBody>
						<PanelBody title={ __( 'Sign-in methods', 'workos' ) }>
							<fieldset
								className="workos-pp-fieldset"
								aria-describedby={
									errors.methods
										? 'workos-pp-methods-error'
										: undefined
								}
							>
								<legend className="workos-pp-legend">
									{ __(
										'Visitors can sign in with',
										'workos'
									) }
								</legend>
								<div className="workos-pp-checks">
									{ METHODS.map( ( m ) => (
										<CheckboxControl
											key={ m }
											label={ methodName( m ) }
											checked={ methods.includes( m ) }
											onChange={ toggleIn(
												'methods',
												METHODS,
												m
											) }
										/>
									) ) }
								</div>
								<FieldError
									id="workos-pp-methods-error"
									message={ errors.methods }
								/>
							</fieldset>
						</PanelBody>
						<PanelBody title={ __( 'Organization', 'workos' ) }>
							<div className="workos-pp-org">
								<SelectControl
									label={ __(
										'Pinned organization',
										'workos'
									) }
									help={ __(
										'Sign-ins through this profile join this WorkOS organization.',
										'workos'
									) }
									value={ draft.organization_id }
									options={ orgOptions }
									onChange={ set( 'organization_id' ) }
								/>
								<Button
									variant="secondary"
									onClick={ () => loadOrgs( true ) }
									disabled={ orgs.loading }
									className="workos-pp-refresh"
								>
									{ __( 'Refresh list', 'workos' ) }
								</Button>
								{ orgs.loading && <Spinner /> }
							</div>
							<FieldError
								id="workos-pp-organization-error"
								message={ errors.organization_id }
							/>
							{ orgs.error && (
								<Notice
									status="warning"
									isDismissible={ false }
								>
									{ orgs.error }{ ' ' }
									{ draft.organization_id &&
										__(
											'The current organization is kept.',
											'workos'
										) }
								</Notice>
							) }
						</PanelBody>
						<PanelBody
							title={ __(
								'Sign-up, invitations and password reset',
								'workos'
							) }
						>
							<ToggleControl
								label={ __(
									'Visitors can create an account',
									'workos'
								) }
								checked={
									!! ( draft.signup && draft.signup.enabled )
								}
								onChange={ set( 'signup.enabled' ) }
							/>
							<ToggleControl
								label={ __(
									'Only with an invitation',
									'workos'
								) }
								help={ __(
									'Sign-up needs an invitation from WorkOS.',
									'workos'
								) }
								checked={
									!! (
										draft.signup &&
										draft.signup.require_invite
									)
								}
								disabled={
									! ( draft.signup && draft.signup.enabled )
								}
								onChange={ set( 'signup.require_invite' ) }
							/>
							<ToggleControl
								label={ __(
									'Accept invitations on this site',
									'workos'
								) }
								checked={ !! draft.invite_flow }
								onChange={ set( 'invite_flow' ) }
							/>
							<ToggleControl
								label={ __(
									'Let visitors reset a forgotten password',
									'workos'
								) }
								checked={ !! draft.password_reset_flow }
								onChange={ set( 'password_reset_flow' ) }
							/>
						</PanelBody>
						<PanelBody
							title={ __(
								'Multi-factor authentication',
								'workos'
							) }
						>
							<RadioControl
								label={ __(
									'Ask for a second factor',
									'workos'
								) }
								selected={
									( draft.mfa && draft.mfa.enforce ) ||
									'if_required'
								}
								options={ [
									{
										value: 'never',
										label: __(
											'Never: this profile does not ask for one itself',
											'workos'
										),
									},
									{
										value: 'if_required',
										label: __(
											'When required: when WorkOS or the organization asks for one',
											'workos'
										),
									},
									{
										value: 'always',
										label: __(
											'Always: every sign-in needs a second factor',
											'workos'
										),
									},
								] }
								onChange={ set( 'mfa.enforce' ) }
							/>
							<fieldset className="workos-pp-fieldset">
								<legend className="workos-pp-legend">
									{ __( 'Allowed factors', 'workos' ) }
								</legend>
								<div className="workos-pp-checks">
									{ FACTORS.map( ( f ) => (
										<CheckboxControl
											key={ f }
											label={ factorName( f ) }
											checked={ factors.includes( f ) }
											onChange={ toggleFactor( f ) }
										/>
									) ) }
								</div>
								<FieldError
									id="workos-pp-factors-error"
									message={ errors[ 'mfa.factors' ] }
								/>
							</fieldset>
						</PanelBody>
						<PanelBody title={ __( 'Branding', 'workos' ) }>
							<Text
								field="branding.heading"
								errors={ errors }
								label={ __( 'Heading', 'workos' ) }
								placeholder={ __( 'Sign in', 'workos' ) }
								value={ branding.heading || '' }
								onChange={ set( 'branding.heading' ) }
							/>
							<Text
								field="branding.subheading"
								errors={ errors }
								label={ __( 'Subheading', 'workos' ) }
								value={ branding.subheading || '' }
								onChange={ set( 'branding.subheading' ) }
							/>
							<fieldset className="workos-pp-fieldset">
								<legend className="workos-pp-legend">
									{ __( 'Primary colour', 'workos' ) }
								</legend>
								<p className="description">
									{ __(
										'Buttons and links. Pick one of the admin colour schemes’ colours, or type your own.',
										'workos'
									) }
								</p>
								<ColorPalette
									colors={ config.colors }
									value={
										branding.primary_color || undefined
									}
									onChange={ ( c ) =>
										set( 'branding.primary_color' )(
											c || ''
										)
									}
									disableCustomColors
									clearable
								/>
								<Text
									field="branding.primary_color"
									errors={ errors }
									label={ __( 'Custom colour', 'workos' ) }
									help={ __(
										'A hex colour such as #1d4ed8; empty for the login page’s blue.',
										'workos'
									) }
									placeholder="#2271b1"
									value={ branding.primary_color || '' }
									onChange={ set( 'branding.primary_color' ) }
								/>
								{ contrast !== null && contrast < 4.5 && (
									<Notice
										status="warning"
										isDismissible={ false }
									>
										{ sprintf(
											/* translators: %s: contrast ratio, e.g. 3.2. */
											__(
												'Text on this colour is hard to read (contrast %s:1; at least 4.5:1 is recommended).',
												'workos'
											),
											contrast.toFixed( 1 )
										) }
									</Notice>
								) }
							</fieldset>
							<RadioControl
								label={ __( 'Logo', 'workos' ) }
								selected={ branding.logo_mode || 'default' }
								options={ [
									{
										value: 'default',
										label: __(
											'The site icon (or WordPress’s logo)',
											'workos'
										),
									},
									{
										value: 'custom',
										label: __(
											'An image from the media library',
											'workos'
										),
									},
									{
										value: 'none',
										label: __( 'No logo', 'workos' ),
									},
								] }
								onChange={ set( 'branding.logo_mode' ) }
							/>
							{ branding.logo_mode === 'custom' && (
								<div className="workos-pp-logo">
									{ branding.logo_url && (
										<img
											className="workos-pp-logo-thumb"
											src={ branding.logo_url }
											alt={ __(
												'The chosen logo',
												'workos'
											) }
										/>
									) }
									<Button
										variant="secondary"
										onClick={ chooseLogo }
									>
										{ branding.logo_url
											? __( 'Replace image', 'workos' )
											: __( 'Choose image', 'workos' ) }
									</Button>
								</div>
							) }
							<FieldError
								id="workos-pp-logo-error"
								message={
									errors[ 'branding.logo_attachment_id' ] ||
									errors[ 'branding.logo_mode' ]
								}
							/>
						</PanelBody>
						<PanelBody
							title={ __( 'Addresses and redirects', 'workos' ) }
						>
							<Text
								field="custom_path"
								errors={ errors }
								label={ __( 'Custom path', 'workos' ) }
								help={ sprintf(
									/* translators: %s: the site's address. */
									__(
										'Optional. A second address for this login page under %s, e.g. members/login. WordPress’s own paths are refused.',
										'workos'
									),
									config.siteUrl
								) }
								value={ draft.custom_path || '' }
								onChange={ set( 'custom_path' ) }
							/>
							<Text
								field="post_login_redirect"
								errors={ errors }
								label={ __( 'After sign-in, go to', 'workos' ) }
								help={ __(
									'Optional. A path on this site or a URL; empty keeps the page the visitor asked for (else the dashboard).',
									'workos'
								) }
								value={ draft.post_login_redirect || '' }
								onChange={ set( 'post_login_redirect' ) }
							/>
							<ToggleControl
								label={ __(
									'Forward tracking query arguments',
									'workos'
								) }
								help={ __(
									'Keeps utm_*, ref and similar arguments of the login URL on the page visitors go to next.',
									'workos'
								) }
								checked={ !! draft.forward_query_args }
								onChange={ set( 'forward_query_args' ) }
							/>
						</PanelBody>
					</Panel>
					<div className="workos-pp-actions">
						<Button
							variant="primary"
							type="submit"
							isBusy={ saving }
							disabled={ saving }
						>
							{ isNew
								? __( 'Create profile', 'workos' )
								: __( 'Save changes', 'workos' ) }
						</Button>
						<Button variant="tertiary" onClick={ onBack }>
							{ __( 'Cancel', 'workos' ) }
						</Button>
						{ dirty && (
							<span className="workos-pp-unsaved">
								{ __( 'Unsaved changes', 'workos' ) }
							</span>
						) }
					</div>
				</div>
				<aside
					className="workos-pp-side"
					aria-label={ __( 'Preview and URLs', 'workos' ) }
				>
					<Preview
						profile={ draft }
						defaultLogoUrl={ config.defaultLogoUrl }
						siteName={ config.siteName }
					/>
					<EmbedPanel
						profile={ draft }
						loginUrlBase={ config.loginUrlBase }
						siteUrl={ config.siteUrl }
						shortcodeTag={ config.shortcodeTag }
						dirty={ dirty }
					/>
				</aside>
			</div>
		</form>
	);
}
