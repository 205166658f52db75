/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * Embed & URLs: the profile's shortcode, canonical URL and custom-path URL, each with a Copy button.
 */
import { createElement, useEffect, useRef, useState } from '@wordpress/element';
import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Copies text to the clipboard (the Clipboard API, else a selected textarea and execCommand).
 *
 * @param {string} text The text.
 * @return {Promise<boolean>} Whether it was copied.
 */
async function copy( text ) {
	try {
		await window.navigator.clipboard.writeText( text );
		return true;
	} catch {
		const area = document.createElement( 'textarea' );
		area.value = text;
		area.setAttribute( 'readonly', '' );
		area.style.position = 'fixed';
		area.style.opacity = '0';
		document.body.appendChild( area );
		area.select();
		let ok = false;
		try {
			ok = document.execCommand( 'copy' );
		} catch {
			ok = false;
		}
		area.remove();
		return ok;
	}
}

function CopyField( { id, label, value, help } ) {
	const [ copied, setCopied ] = useState( '' );
	const timer = useRef();
	useEffect( () => () => clearTimeout( timer.current ), [] );
	const onCopy = async () => {
		const ok = await copy( value );
		setCopied(
			ok
				? __( 'Copied.', 'workos' )
				: __( 'Could not copy: select the text and copy it.', 'workos' )
		);
		clearTimeout( timer.current );
		timer.current = setTimeout( () => setCopied( '' ), 4000 );
	};
	return (
		<div className="workos-pp-copy">
			<label className="workos-pp-copy-label" htmlFor={ id }>
				{ label }
			</label>
			<div className="workos-pp-copy-row">
				{ /* One line that scrolls, as WordPress's own "File URL" field: wrapping broke URLs mid-word. */ }
				<input
					type="text"
					id={ id }
					className="workos-pp-copy-input code"
					readOnly
					value={ value }
					onFocus={ ( e ) => e.target.select() }
					aria-describedby={ help ? id + '-help' : undefined }
				/>
				<Button
					variant="secondary"
					onClick={ onCopy }
					disabled={ ! value }
					aria-label={ label + ': ' + __( 'copy', 'workos' ) }
				>
					{ __( 'Copy', 'workos' ) }
				</Button>
			</div>
			{ help && (
				<p id={ id + '-help' } className="description">
					{ help }
				</p>
			) }
			<p className="workos-pp-copied" role="status">
				{ copied }
			</p>
		</div>
	);
}

/**
 * @param {Object}  props
 * @param {Object}  props.profile      The draft.
 * @param {string}  props.loginUrlBase home_url('/workos/login/').
 * @param {string}  props.siteUrl      home_url('/').
 * @param {string}  props.shortcodeTag The shortcode's name.
 * @param {boolean} props.dirty        Whether the draft has unsaved changes.
 */
export default function EmbedPanel( {
	profile,
	loginUrlBase,
	siteUrl,
	shortcodeTag,
	dirty,
} ) {
	const slug = profile.slug || '';
	const path = ( profile.custom_path || '' ).replace( /^\/+|\/+$/g, '' );
	const shortcode = slug ? `[${ shortcodeTag } profile="${ slug }"]` : '';
	const canonical = slug
		? loginUrlBase + encodeURIComponent( slug ) + '/'
		: '';
	const custom = path ? siteUrl + path + '/' : '';
	return (
		<section
			className="workos-pp-embed"
			aria-labelledby="workos-pp-embed-title"
		>
			<h3 id="workos-pp-embed-title" className="workos-pp-side-title">
				{ __( 'Embed & URLs', 'workos' ) }
			</h3>
			{ ( dirty || ! profile.id ) && (
				<p className="description">
					{ __(
						'These follow the form as you type; they work once the profile is saved.',
						'workos'
					) }
				</p>
			) }
			<CopyField
				id="workos-pp-shortcode"
				label={ __( 'Shortcode', 'workos' ) }
				value={ shortcode }
				help={ __(
					'Shows this login card in any post or page. Add redirect_to="…" to choose where visitors go next.',
					'workos'
				) }
			/>
			<CopyField
				id="workos-pp-canonical-url"
				label={ __( 'Login page URL', 'workos' ) }
				value={ canonical }
			/>
			<CopyField
				id="workos-pp-custom-url"
				label={ __( 'Custom path URL', 'workos' ) }
				value={ custom }
				help={
					custom
						? ''
						: __(
								'Set a custom path to get a second, shorter address.',
								'workos'
							)
				}
			/>
		</section>
	);
}
