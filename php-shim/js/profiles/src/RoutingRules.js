/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Routing rules (option workos_profile_routing_rules, through /admin/profile-routing): an ordered
 * list of {profile, matcher: {type, value}}; the first rule that matches a login chooses its
 * profile, else the default profile. Reordered with Move up / Move down buttons (focus follows
 * the moved rule), saved whole.
 */
import { createElement, useEffect, useRef, useState } from '@wordpress/element';
import {
	Button,
	Notice,
	SelectControl,
	Spinner,
	TextControl,
} from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import { getRouting, saveRouting } from './api';
import { matcherName } from './labels';

const TYPES = [ 'redirect_to', 'referrer_host', 'user_role' ];

let nextKey = 1;
const withKey = ( rule ) => ( { ...rule, key: nextKey++ } );

/**
 * @param {Object}   props
 * @param {Object[]} props.profiles The profiles (slug, title).
 * @param {Object[]} props.roles    WordPress roles {value, label}.
 * @param {Function} props.onDirty  Told whether the rules differ from the stored ones.
 */
export default function RoutingRules( { profiles, roles, onDirty } ) {
	const [ stored, setStored ] = useState( null );
	const [ rules, setRules ] = useState( [] );
	const [ notice, setNotice ] = useState( null );
	const [ errorIndex, setErrorIndex ] = useState( -1 );
	const [ saving, setSaving ] = useState( false );
	const focusAfter = useRef( null );

	useEffect( () => {
		getRouting()
			.then( ( body ) => {
				const list = ( body.rules || [] ).map( withKey );
				setStored( JSON.stringify( body.rules || [] ) );
				setRules( list );
			} )
			.catch( ( e ) => {
				setStored( '[]' );
				setNotice( { status: 'error', message: e.message } );
			} );
	}, [] );

	const plain = rules.map( ( { key, ...rule } ) => rule );
	const dirty = stored !== null && JSON.stringify( plain ) !== stored;
	useEffect( () => {
		onDirty( dirty );
	}, [ dirty, onDirty ] );

	useEffect( () => {
		if ( focusAfter.current ) {
			const el = document.querySelector( focusAfter.current );
			if ( el ) {
				el.focus();
			}
			focusAfter.current = null;
		}
	} );

	if ( stored === null ) {
		return <Spinner />;
	}

	const update = ( i, rule ) =>
		setRules( ( list ) =>
			list.map( ( r, j ) => ( j === i ? { ...r, ...rule } : r ) )
		);

	const move = ( i, by, focusId ) => {
		const j = i + by;
		if ( j < 0 || j >= rules.length ) {
			return;
		}
		const list = [ ...rules ];
		[ list[ i ], list[ j ] ] = [ list[ j ], list[ i ] ];
		// Keep the focus on the moved rule's button (or the other one at the ends of the list).
		let target = '#' + focusId( list[ j ].key );
		if ( ( by < 0 && j === 0 ) || ( by > 0 && j === list.length - 1 ) ) {
			target = '#' + focusId( list[ j ].key, true );
		}
		focusAfter.current = target;
		setRules( list );
	};

	const remove = ( i ) => {
		const list = rules.filter( ( r, j ) => j !== i );
		focusAfter.current = list.length
			? '#workos-rr-remove-' + list[ Math.min( i, list.length - 1 ) ].key
			: '#workos-rr-add';
		setRules( list );
	};

	const add = () => {
		const rule = withKey( {
			profile:
				(
					profiles.find( ( p ) => p.slug !== 'default' ) ||
					profiles[ 0 ] ||
					{}
				).slug || 'default',
			matcher: { type: 'redirect_to', value: '' },
		} );
		focusAfter.current = '#workos-rr-rule-' + rule.key + ' select';
		setRules( [ ...rules, rule ] );
	};

	const save = async () => {
		setSaving( true );
		setNotice( null );
		setErrorIndex( -1 );
		try {
			const body = await saveRouting( plain );
			setStored( JSON.stringify( body.rules || [] ) );
			setRules( ( body.rules || [] ).map( withKey ) );
			setNotice( {
				status: 'success',
				message: __( 'Routing rules saved.', 'workos' ),
			} );
		} catch ( e ) {
			const m = /^rules\[(\d+)\]/.exec( e.field || '' );
			setErrorIndex( m ? Number( m[ 1 ] ) : -1 );
			setNotice( {
				status: 'error',
				message: sprintf(
					/* translators: %s: the server's reason. */
					__( 'The rules were not saved: %s', 'workos' ),
					e.message
				),
			} );
		} finally {
			setSaving( false );
		}
	};

	const profileOptions = profiles.map( ( p ) => ( {
		value: p.slug,
		label: p.title + ' (' + p.slug + ')',
	} ) );

	return (
		<section className="workos-rr" aria-labelledby="workos-rr-title">
			<h2 id="workos-rr-title">{ __( 'Routing rules', 'workos' ) }</h2>
			<p className="description workos-rr-intro">
				{ __(
					'Which profile a login uses when none is asked for by name (the shortcode’s profile="…" or /workos/login/{slug}/). Rules are checked from top to bottom: the first one that matches wins. When none matches, the Default profile is used.',
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
			{ rules.length === 0 && (
				<p className="workos-rr-empty">
					{ __(
						'No rules: every login uses the Default profile.',
						'workos'
					) }
				</p>
			) }
			<ol className="workos-rr-list">
				{ rules.map( ( rule, i ) => {
					const type = rule.matcher.type;
					const setMatcher = ( m ) =>
						update( i, { matcher: { ...rule.matcher, ...m } } );
					return (
						<li
							key={ rule.key }
							id={ 'workos-rr-rule-' + rule.key }
							className={
								'workos-rr-rule' +
								( errorIndex === i ? ' is-invalid' : '' )
							}
							aria-label={ sprintf(
								/* translators: %d: rule number. */
								__( 'Rule %d', 'workos' ),
								i + 1
							) }
						>
							<span
								className="workos-rr-number"
								aria-hidden="true"
							>
								{ i + 1 }
							</span>
							<div className="workos-rr-fields">
								<SelectControl
									label={ __( 'When', 'workos' ) }
									value={ type }
									options={ TYPES.map( ( t ) => ( {
										value: t,
										label: matcherName( t ),
									} ) ) }
									onChange={ ( t ) =>
										setMatcher( {
											type: t,
											value:
												t === 'user_role'
													? ( roles[ 0 ] || {} )
															.value || ''
													: '',
										} )
									}
								/>
								{ type === 'user_role' ? (
									<SelectControl
										label={ __( 'Role', 'workos' ) }
										value={ rule.matcher.value }
										options={ roles }
										onChange={ ( v ) =>
											setMatcher( { value: v } )
										}
									/>
								) : (
									<TextControl
										label={
											type === 'referrer_host'
												? __( 'Host', 'workos' )
												: __( 'Path pattern', 'workos' )
										}
										help={
											type === 'referrer_host'
												? __(
														'e.g. shop.example.com',
														'workos'
													)
												: __(
														'e.g. /members/* (* matches anything)',
														'workos'
													)
										}
										value={ rule.matcher.value }
										onChange={ ( v ) =>
											setMatcher( { value: v } )
										}
									/>
								) }
								<SelectControl
									label={ __( 'Use the profile', 'workos' ) }
									value={ rule.profile }
									options={
										profileOptions.some(
											( o ) => o.value === rule.profile
										)
											? profileOptions
											: [
													...profileOptions,
													{
														value: rule.profile,
														label: rule.profile,
													},
												]
									}
									onChange={ ( v ) =>
										update( i, { profile: v } )
									}
								/>
							</div>
							<div className="workos-rr-buttons">
								<Button
									id={ 'workos-rr-up-' + rule.key }
									variant="secondary"
									disabled={ i === 0 }
									onClick={ () =>
										move(
											i,
											-1,
											( key, edge ) =>
												( edge
													? 'workos-rr-down-'
													: 'workos-rr-up-' ) + key
										)
									}
									aria-label={ sprintf(
										/* translators: %d: rule number. */
										__( 'Move rule %d up', 'workos' ),
										i + 1
									) }
								>
									{ __( 'Up', 'workos' ) }
								</Button>
								<Button
									id={ 'workos-rr-down-' + rule.key }
									variant="secondary"
									disabled={ i === rules.length - 1 }
									onClick={ () =>
										move(
											i,
											1,
											( key, edge ) =>
												( edge
													? 'workos-rr-up-'
													: 'workos-rr-down-' ) + key
										)
									}
									aria-label={ sprintf(
										/* translators: %d: rule number. */
										__( 'Move rule %d down', 'workos' ),
										i + 1
									) }
								>
									{ __( 'Down', 'workos' ) }
								</Button>
								<Button
									id={ 'workos-rr-remove-' + rule.key }
									variant="secondary"
									isDestructive
									onClick={ () => remove( i ) }
									aria-label={ sprintf(
										/* translators: %d: rule number. */
										__( 'Remove rule %d', 'workos' ),
										i + 1
									) }
								>
									{ __( 'Remove', 'workos' ) }
								</Button>
							</div>
						</li>
					);
				} ) }
			</ol>
			<div className="workos-rr-actions">
				<Button id="workos-rr-add" variant="secondary" onClick={ add }>
					{ __( 'Add rule', 'workos' ) }
				</Button>
				<Button
					variant="primary"
					onClick={ save }
					isBusy={ saving }
					disabled={ saving || ! dirty }
				>
					{ __( 'Save rules', 'workos' ) }
				</Button>
				{ dirty && (
					<span className="workos-pp-unsaved">
						{ __( 'Unsaved changes', 'workos' ) }
					</span>
				) }
			</div>
		</section>
	);
}
