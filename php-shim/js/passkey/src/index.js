/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Users → Profile → Passkeys: list, add and remove the signed-in user's passkeys through
 * /workos/v1/auth/passkey/* (WordPress REST nonce). Mounted over the section
 * php-shim/src/Passkeys/ProfileSection.php prints (which stays usable as a list without JS).
 */
import { createElement, render, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { fromB64u, toB64u } from '../../shared/src/b64url';
import { restRequest } from '../../shared/src/rest';
import './passkeys.css';

/**
 * The server's creation options with binary fields as ArrayBuffers.
 *
 * @param {Object} options publicKey options (base64url fields).
 * @return {Object} Options for navigator.credentials.create().
 */
function creationOptions( options ) {
	return {
		...options,
		challenge: fromB64u( options.challenge ),
		user: { ...options.user, id: fromB64u( options.user.id ) },
		excludeCredentials: ( options.excludeCredentials || [] ).map(
			( c ) => ( { ...c, id: fromB64u( c.id ) } )
		),
	};
}

/**
 * A new credential as JSON with base64url fields (what webauthn-rs reads).
 *
 * @param {PublicKeyCredential} credential The authenticator's answer.
 * @return {Object} JSON-able credential.
 */
function attestationJSON( credential ) {
	const r = credential.response;
	return {
		id: credential.id,
		rawId: toB64u( credential.rawId ),
		type: credential.type,
		response: {
			attestationObject: toB64u( r.attestationObject ),
			clientDataJSON: toB64u( r.clientDataJSON ),
			transports: r.getTransports ? r.getTransports() : undefined,
		},
		extensions: credential.getClientExtensionResults
			? credential.getClientExtensionResults()
			: {},
	};
}

function formatDate( seconds ) {
	if ( ! seconds ) {
		return __( 'Never', 'workos' );
	}
	return new Date( seconds * 1000 ).toLocaleDateString();
}

function Passkeys( { restBase, nonce, canAdd, initial } ) {
	const [ passkeys, setPasskeys ] = useState( initial );
	const [ name, setName ] = useState( '' );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState( '' );
	const [ status, setStatus ] = useState( '' );
	const nameRef = useRef( null );

	const call = ( method, route, body = null ) =>
		restRequest( restBase + route, nonce, method, body );

	const add = async ( event ) => {
		event.preventDefault();
		setBusy( true );
		setError( '' );
		setStatus( '' );
		try {
			if ( ! window.PublicKeyCredential || ! navigator.credentials ) {
				throw new Error(
					__( 'This browser cannot create passkeys.', 'workos' )
				);
			}
			const { options } = await call( 'POST', 'register/options', {} );
			let credential;
			try {
				credential = await navigator.credentials.create( {
					publicKey: creationOptions( options ),
				} );
			} catch {
				throw new Error(
					__( 'No passkey was created. Please try again.', 'workos' )
				);
			}
			const result = await call( 'POST', 'register/verify', {
				credential: attestationJSON( credential ),
				name,
			} );
			setPasskeys( [ result.passkey, ...passkeys ] );
			setName( '' );
			setStatus(
				sprintf(
					/* translators: %s: passkey name */
					__( 'Passkey “%s” added.', 'workos' ),
					result.passkey.name
				)
			);
		} catch ( e ) {
			setError( e.message );
		} finally {
			setBusy( false );
		}
	};

	const remove = async ( passkey ) => {
		setBusy( true );
		setError( '' );
		setStatus( '' );
		try {
			await call(
				'DELETE',
				'credentials/' + encodeURIComponent( passkey.id )
			);
			setPasskeys( passkeys.filter( ( p ) => p.id !== passkey.id ) );
			setStatus(
				sprintf(
					/* translators: %s: passkey name */
					__( 'Passkey “%s” removed.', 'workos' ),
					passkey.name
				)
			);
			if ( nameRef.current ) {
				nameRef.current.focus();
			}
		} catch ( e ) {
			setError( e.message );
		} finally {
			setBusy( false );
		}
	};

	return (
		<div className="workos-passkeys-app">
			<div className="workos-passkeys-error notice-error" role="alert">
				{ error ? <p>{ error }</p> : null }
			</div>
			<div className="workos-passkeys-status" role="status">
				{ status ? <p>{ status }</p> : null }
			</div>
			<table className="widefat striped workos-passkeys-table">
				<caption className="screen-reader-text">
					{ __( 'Your passkeys', 'workos' ) }
				</caption>
				<thead>
					<tr>
						<th scope="col">{ __( 'Name', 'workos' ) }</th>
						<th scope="col">{ __( 'Added', 'workos' ) }</th>
						<th scope="col">{ __( 'Last used', 'workos' ) }</th>
						<th scope="col">
							<span className="screen-reader-text">
								{ __( 'Actions', 'workos' ) }
							</span>
						</th>
					</tr>
				</thead>
				<tbody>
					{ passkeys.length === 0 ? (
						<tr className="workos-passkeys-empty">
							<td colSpan="4">
								{ __( 'You have no passkeys yet.', 'workos' ) }
							</td>
						</tr>
					) : null }
					{ passkeys.map( ( passkey ) => (
						<tr key={ passkey.id } data-id={ passkey.id }>
							<td>{ passkey.name }</td>
							<td>{ formatDate( passkey.created ) }</td>
							<td>{ formatDate( passkey.last_used ) }</td>
							<td>
								<button
									type="button"
									className="button button-secondary workos-passkey-remove"
									disabled={ busy }
									onClick={ () => remove( passkey ) }
									aria-label={ sprintf(
										/* translators: %s: passkey name */
										__( 'Remove passkey “%s”', 'workos' ),
										passkey.name
									) }
								>
									{ __( 'Remove', 'workos' ) }
								</button>
							</td>
						</tr>
					) ) }
				</tbody>
			</table>
			{ canAdd ? (
				<div className="workos-passkeys-add">
					<label htmlFor="workos-passkey-name">
						{ __( 'Name for a new passkey', 'workos' ) }
					</label>
					<input
						id="workos-passkey-name"
						ref={ nameRef }
						type="text"
						className="regular-text"
						maxLength={ 60 }
						placeholder={ __( 'e.g. Work laptop', 'workos' ) }
						value={ name }
						onChange={ ( e ) => setName( e.target.value ) }
						onKeyDown={ ( e ) => {
							// Enter here adds the passkey, not submits the whole profile form.
							if ( 'Enter' === e.key ) {
								add( e );
							}
						} }
					/>
					<button
						type="button"
						className="button button-secondary"
						disabled={ busy }
						onClick={ add }
					>
						{ __( 'Add a passkey', 'workos' ) }
					</button>
				</div>
			) : null }
		</div>
	);
}

const root = document.getElementById( 'workos-passkeys' );
if ( root ) {
	let initial = [];
	try {
		initial = JSON.parse( root.dataset.passkeys || '[]' );
	} catch {
		initial = [];
	}
	const mount = document.createElement( 'div' );
	// The server's table is replaced by the app's (the note and description stay).
	const table = root.querySelector( '.workos-passkeys-table' );
	if ( table ) {
		table.replaceWith( mount );
	} else {
		root.appendChild( mount );
	}
	render(
		<Passkeys
			restBase={ root.dataset.restBase }
			nonce={ root.dataset.nonce }
			canAdd={ '1' === root.dataset.canAdd }
			initial={ Array.isArray( initial ) ? initial : [] }
		/>,
		mount
	);
}
