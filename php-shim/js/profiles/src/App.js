/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * WorkOS → Login Profiles: the list (with the routing rules) and the editor, one at a time; the
 * URL says which (`&profile=<id>` or `&profile=new`), so the browser's Back button and a reload
 * keep the place. Leaving unsaved changes asks first (in the app and on leaving the page).
 */
import {
	createElement,
	useCallback,
	useEffect,
	useRef,
	useState,
} from '@wordpress/element';
import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import { deleteProfile, listOrganizations, listProfiles } from './api';
import ProfileEditor, { NEW_PROFILE } from './ProfileEditor';
import ProfileList from './ProfileList';
import RoutingRules from './RoutingRules';

const LEAVE = () =>
	__( 'You have unsaved changes. Leave without saving them?', 'workos' );

/**
 * Asks the site owner to confirm (the browser's own dialog: modal, keyboard-usable, read out).
 *
 * @param {string} message The question.
 * @return {boolean} Whether they confirmed.
 */
function ask( message ) {
	// eslint-disable-next-line no-alert
	return window.confirm( message );
}

/**
 * The list's order: the default profile first, then by title.
 *
 * @param {Object} a A profile.
 * @param {Object} b Another.
 * @return {number} Comparison.
 */
function byDefaultThenTitle( a, b ) {
	if ( a.slug === 'default' || b.slug === 'default' ) {
		return a.slug === 'default' ? -1 : 1;
	}
	return a.title.localeCompare( b.title );
}

function viewFromUrl() {
	const id = new URLSearchParams( window.location.search ).get( 'profile' );
	return id ? { name: 'edit', id } : { name: 'list' };
}

function urlFor( view ) {
	const url = new URL( window.location.href );
	if ( view.name === 'edit' ) {
		url.searchParams.set( 'profile', String( view.id ) );
	} else {
		url.searchParams.delete( 'profile' );
	}
	return url.toString();
}

/**
 * @param {Object} props
 * @param {Object} props.config window.workosProfileAdmin.
 */
export default function App( { config } ) {
	const [ profiles, setProfiles ] = useState( config.profiles || [] );
	const [ view, setView ] = useState( viewFromUrl );
	const [ notice, setNotice ] = useState( null );
	const [ busyId, setBusyId ] = useState( 0 );
	const [ orgNames, setOrgNames ] = useState( null );
	const dirty = useRef( { editor: false, rules: false } );
	const headingRef = useRef();

	const isDirty = () => dirty.current.editor || dirty.current.rules;
	const onEditorDirty = useCallback( ( d ) => {
		dirty.current.editor = d;
	}, [] );
	const onRulesDirty = useCallback( ( d ) => {
		dirty.current.rules = d;
	}, [] );

	useEffect( () => {
		const guard = ( event ) => {
			if ( isDirty() ) {
				event.preventDefault();
				event.returnValue = LEAVE();
				return event.returnValue;
			}
		};
		window.addEventListener( 'beforeunload', guard );
		return () => window.removeEventListener( 'beforeunload', guard );
	}, [] );

	useEffect( () => {
		const onPop = () => {
			if ( isDirty() && ! ask( LEAVE() ) ) {
				window.history.pushState( null, '', urlFor( view ) );
				return;
			}
			dirty.current = { editor: false, rules: false };
			setView( viewFromUrl() );
		};
		window.addEventListener( 'popstate', onPop );
		return () => window.removeEventListener( 'popstate', onPop );
	}, [ view ] );

	// Organization names for profiles the server could not name (its list is cached briefly).
	useEffect( () => {
		if ( view.name !== 'list' ) {
			return;
		}
		if (
			! profiles.some(
				( p ) => p.organization_id && ! p.organization_name
			)
		) {
			return;
		}
		listOrganizations( false )
			.then( ( body ) => {
				const names = {};
				( body.organizations || [] ).forEach( ( o ) => {
					names[ o.id ] = o.name;
				} );
				setOrgNames( names );
			} )
			.catch( () => setOrgNames( {} ) );
	}, [ view, profiles ] );

	const refresh = () =>
		listProfiles()
			.then( ( body ) => setProfiles( body.profiles || [] ) )
			.catch( ( e ) =>
				setNotice( { status: 'error', message: e.message } )
			);

	const go = ( next, { force = false } = {} ) => {
		if ( ! force && isDirty() && ! ask( LEAVE() ) ) {
			return;
		}
		dirty.current = { editor: false, rules: false };
		window.history.pushState( null, '', urlFor( next ) );
		setView( next );
		setNotice( null );
		window.scrollTo( 0, 0 );
	};

	useEffect( () => {
		if ( view.name === 'list' && headingRef.current && view.focus ) {
			headingRef.current.focus();
		}
	}, [ view ] );

	const remove = async ( p ) => {
		if (
			! ask(
				sprintf(
					/* translators: %s: profile title. */
					__(
						'Delete the login profile “%s”? Its URLs and shortcode stop working.',
						'workos'
					),
					p.title
				)
			)
		) {
			return;
		}
		setBusyId( p.id );
		try {
			await deleteProfile( p.id );
			setProfiles( ( list ) => list.filter( ( q ) => q.id !== p.id ) );
			setNotice( {
				status: 'success',
				message: sprintf(
					/* translators: %s: profile title. */
					__( 'Profile “%s” deleted.', 'workos' ),
					p.title
				),
			} );
			await refresh();
		} catch ( e ) {
			setNotice( {
				status: 'error',
				message: sprintf(
					/* translators: %s: the server's reason. */
					__( 'The profile was not deleted: %s', 'workos' ),
					e.message
				),
			} );
		} finally {
			setBusyId( 0 );
		}
	};

	if ( view.name === 'edit' ) {
		const initial =
			view.id === 'new'
				? NEW_PROFILE
				: profiles.find(
						( p ) => String( p.id ) === String( view.id )
					);
		if ( ! initial ) {
			return (
				<Notice status="error" isDismissible={ false }>
					{ __(
						'This login profile does not exist (any more).',
						'workos'
					) }{ ' ' }
					<Button
						variant="link"
						onClick={ () => go( { name: 'list' } ) }
					>
						{ __( 'All login profiles', 'workos' ) }
					</Button>
				</Notice>
			);
		}
		return (
			<ProfileEditor
				key={ String( view.id ) }
				initial={ initial }
				config={ config }
				onDirty={ onEditorDirty }
				onBack={ () => go( { name: 'list', focus: true } ) }
				onSaved={ ( saved ) => {
					setProfiles( ( list ) => {
						const others = list.filter(
							( p ) => p.id !== saved.id
						);
						return [ ...others, saved ].sort( byDefaultThenTitle );
					} );
					if ( view.id === 'new' ) {
						// Stay in the editor, now on the stored profile's URL.
						window.history.replaceState(
							null,
							'',
							urlFor( { name: 'edit', id: saved.id } )
						);
					}
				} }
			/>
		);
	}

	return (
		<div className="workos-pp-list">
			<div className="workos-pp-list-head">
				<h2 ref={ headingRef } tabIndex={ -1 }>
					{ __( 'Profiles', 'workos' ) }
				</h2>
				<Button
					variant="primary"
					onClick={ () => go( { name: 'edit', id: 'new' } ) }
				>
					{ __( 'Add profile', 'workos' ) }
				</Button>
			</div>
			<p className="description">
				{ __(
					'Each profile is a login page of its own: which sign-in methods it offers, its branding, and where it lives. Put one on a page with its shortcode, or link to its URL.',
					'workos'
				) }
			</p>
			{ notice && (
				<Notice
					status={ notice.status }
					onRemove={ () => setNotice( null ) }
				>
					{ notice.message }
				</Notice>
			) }
			{ ! config.extensionReady ? null : (
				<ProfileList
					profiles={ profiles }
					orgNames={ orgNames }
					busyId={ busyId }
					onEdit={ ( p ) => go( { name: 'edit', id: p.id } ) }
					onDelete={ remove }
				/>
			) }
			{ config.extensionReady && (
				<RoutingRules
					profiles={ profiles }
					roles={ config.roles || [] }
					onDirty={ onRulesDirty }
				/>
			) }
		</div>
	);
}
