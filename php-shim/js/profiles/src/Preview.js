/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The live preview of the login card: the login shell's own classes (`wa-*`) and CSS variables
 * (`--wa-*`, from its stylesheet, loaded on this screen), with the draft's branding. Static
 * elements only: nothing in it can be focused or submitted.
 */
import { createElement } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { methodName } from './labels';

const SOCIAL = [
	'oauth_google',
	'oauth_microsoft',
	'oauth_github',
	'oauth_apple',
];

/**
 * The contrast of the button's text on a primary colour (the text colour colorVars() chooses).
 *
 * @param {string} color '' or #rgb / #rrggbb(aa).
 * @return {?number} The ratio, or null for no valid colour.
 */
export function buttonContrast( color ) {
	const vars = colorVars( color );
	if ( ! vars[ '--wa-primary' ] ) {
		return null;
	}
	const lum = luminance( vars[ '--wa-primary' ] );
	const fg =
		vars[ '--wa-primary-fg' ] === '#fff' ? 1 : luminance( '#1e1e1e' );
	return ( Math.max( lum, fg ) + 0.05 ) / ( Math.min( lum, fg ) + 0.05 );
}

/**
 * The relative luminance of a #rrggbb colour (WCAG 2).
 *
 * @param {string} hex #rrggbb.
 * @return {number} 0 … 1.
 */
function luminance( hex ) {
	const lin = [ 1, 3, 5 ].map( ( i ) => {
		const c = parseInt( hex.slice( i, i + 2 ), 16 ) / 255;
		return c <= 0.03928 ? c / 12.92 : ( ( c + 0.055 ) / 1.055 ) ** 2.4;
	} );
	return 0.2126 * lin[ 0 ] + 0.7152 * lin[ 1 ] + 0.0722 * lin[ 2 ];
}

/**
 * The card's colour variables for a primary colour, computed as the login page computes them
 * (SignIn\Hosted\Shell::color_style): hover 15 % darker, text white or near-black by contrast.
 *
 * @param {string} color '' or #rgb / #rrggbb(aa).
 * @return {Object} CSS custom properties.
 */
export function colorVars( color ) {
	if ( ! /^#[0-9a-fA-F]{3,8}$/.test( color || '' ) ) {
		return {};
	}
	let hex = color.slice( 1 );
	if ( hex.length < 6 ) {
		hex = hex[ 0 ] + hex[ 0 ] + hex[ 1 ] + hex[ 1 ] + hex[ 2 ] + hex[ 2 ];
	}
	const rgb = [ 0, 2, 4 ].map( ( i ) =>
		parseInt( hex.slice( i, i + 2 ), 16 )
	);
	const hover =
		'#' +
		rgb
			.map( ( c ) =>
				Math.round( c * 0.85 )
					.toString( 16 )
					.padStart( 2, '0' )
			)
			.join( '' );
	const lin = rgb.map( ( c ) => {
		c /= 255;
		return c <= 0.03928 ? c / 12.92 : ( ( c + 0.055 ) / 1.055 ) ** 2.4;
	} );
	const lum = 0.2126 * lin[ 0 ] + 0.7152 * lin[ 1 ] + 0.0722 * lin[ 2 ];
	const fg =
		1.05 / ( lum + 0.05 ) >= ( lum + 0.05 ) / 0.063 ? '#fff' : '#1e1e1e';
	return {
		'--wa-primary': '#' + hex.slice( 0, 6 ),
		'--wa-primary-hover': hover,
		'--wa-primary-fg': fg,
	};
}

/**
 * @param {Object} props
 * @param {Object} props.profile        The draft.
 * @param {string} props.defaultLogoUrl The site icon or WordPress's logo.
 * @param {string} props.siteName       The site's name (the logo's text alternative).
 */
export default function Preview( { profile, defaultLogoUrl, siteName } ) {
	const branding = profile.branding || {};
	let logo = '';
	if ( branding.logo_mode === 'custom' ) {
		logo = branding.logo_url || '';
	} else if ( branding.logo_mode !== 'none' ) {
		logo = defaultLogoUrl;
	}
	const methods = profile.methods || [];
	const social = SOCIAL.filter( ( m ) => methods.includes( m ) );
	const redirect = profile.mode === 'authkit_redirect';
	return (
		<section
			className="workos-pp-preview"
			aria-labelledby="workos-pp-preview-title"
		>
			<h3 id="workos-pp-preview-title" className="workos-pp-side-title">
				{ __( 'Preview', 'workos' ) }
			</h3>
			{ redirect && (
				<p className="description">
					{ __(
						'In WorkOS-hosted mode visitors are sent to AuthKit; this card is not shown.',
						'workos'
					) }
				</p>
			) }
			<div
				id="workos-authkit-root"
				className="workos-pp-preview-root"
				style={ colorVars( branding.primary_color ) }
			>
				<div className="wa-shell">
					<div className="wa-card">
						{ logo && (
							<img
								className="wa-logo"
								src={ logo }
								alt={ siteName }
							/>
						) }
						<p className="wa-heading">
							{ branding.heading || __( 'Sign in', 'workos' ) }
						</p>
						{ branding.subheading && (
							<p className="wa-subheading">
								{ branding.subheading }
							</p>
						) }
						<div className="wa-form">
							<div className="wa-field">
								<span className="wa-label">
									{ __( 'Email address', 'workos' ) }
								</span>
								<span className="wa-input" />
							</div>
							<span className="wa-button wa-button-primary">
								{ __( 'Continue', 'workos' ) }
							</span>
						</div>
						{ social.length > 0 && (
							<div className="wa-social">
								<p className="wa-divider">
									<span>{ __( 'or', 'workos' ) }</span>
								</p>
								{ social.map( ( m ) => (
									<span
										key={ m }
										className="wa-button wa-button-secondary"
									>
										{ sprintf(
											/* translators: %s: a sign-in provider, e.g. Google. */
											__( 'Continue with %s', 'workos' ),
											methodName( m )
										) }
									</span>
								) ) }
							</div>
						) }
					</div>
				</div>
			</div>
		</section>
	);
}
