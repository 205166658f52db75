<?php
/**
 * The hosted login's shell: the server-rendered card the React app
 * (php-shim/js/login, built by scripts/js-build.sh) hydrates in place.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Profiles\Profile;
use const WorkOS_WP\PLUGIN_FILE;

defined( 'ABSPATH' ) || exit;

/**
 * Prints the shell for one Login Profile, given as a plain array (slug,
 * title, methods, branding …) so that it does not depend on where profiles
 * are stored. The markup of the first step (email) is exactly what the app's
 * first render produces (src/App.js): hydration then changes nothing on
 * screen, and the page is usable before the script has loaded. Names follow
 * the reference plugin: root `#workos-authkit-root` with `data-profile`,
 * script/style handle `workos-authkit`, filters `workos_authkit_profile_data`
 * and `workos_authkit_body_classes`, CSS variables `--wa-*`.
 */
final class Shell {

	/** Script and style handle (the reference's). */
	const HANDLE = 'workos-authkit';

	/** Id of the element the app mounts on. */
	const ROOT_ID = 'workos-authkit-root';

	/** Where the build lands, relative to the plugin's folder. */
	const BUILD_DIR = 'js/login/build/';

	/** Every sign-in method a profile may list, in display order. */
	const METHODS = array( 'password', 'magic_code', 'oauth_google', 'oauth_microsoft', 'oauth_github', 'oauth_apple', 'passkey' );

	/** Methods shown as "Continue with …" buttons. */
	const SOCIAL = array( 'oauth_google', 'oauth_microsoft', 'oauth_github', 'oauth_apple' );

	/**
	 * The profile with every key the shell reads, defaults as the reference's
	 * (methods password + magic code, heading "Sign in").
	 *
	 * @param array $profile Profile fields (slug, title, methods, branding {heading, subheading, primary_color, logo_url}).
	 * @return array
	 */
	public static function normalize( array $profile ): array {
		$slug     = isset( $profile['slug'] ) ? sanitize_title( (string) $profile['slug'] ) : '';
		$slug     = '' === $slug ? 'default' : $slug;
		$methods  = isset( $profile['methods'] ) && is_array( $profile['methods'] ) ? array_map( 'strval', $profile['methods'] ) : array();
		$methods  = array_values( array_intersect( self::METHODS, $methods ) );
		$branding = isset( $profile['branding'] ) && is_array( $profile['branding'] ) ? $profile['branding'] : array();
		$color    = isset( $branding['primary_color'] ) ? (string) $branding['primary_color'] : '';

		$profile['slug']     = $slug;
		$profile['title']    = isset( $profile['title'] ) && '' !== (string) $profile['title'] ? (string) $profile['title'] : ucwords( str_replace( '-', ' ', $slug ) );
		$profile['methods']  = $methods ? $methods : array( 'password', 'magic_code' );
		$profile['branding'] = array(
			'logo_url'      => isset( $branding['logo_url'] ) ? (string) $branding['logo_url'] : '',
			'primary_color' => preg_match( '/^#[0-9a-fA-F]{3,8}$/', $color ) ? $color : '',
			'heading'       => isset( $branding['heading'] ) ? (string) $branding['heading'] : '',
			'subheading'    => isset( $branding['subheading'] ) ? (string) $branding['subheading'] : '',
		);
		return $profile;
	}

	/**
	 * What the app receives in `data-profile`: the profile without its
	 * storage id, through the reference's `workos_authkit_profile_data`.
	 *
	 * @param array $profile Normalized profile.
	 * @return array
	 */
	public static function client_profile( array $profile ): array {
		unset( $profile['id'] );
		/**
		 * Filters the profile data handed to the login shell.
		 *
		 * @param array   $data    Client payload.
		 * @param Profile $profile The profile (an object, as the reference's; also readable as an array).
		 */
		$data = apply_filters( 'workos_authkit_profile_data', $profile, new Profile( $profile ) );
		return is_array( $data ) ? $data : $profile;
	}

	/**
	 * The build's asset manifest (dependencies, version), or null when the
	 * app has not been built (scripts/js-build.sh): the card still renders.
	 *
	 * @return array{dependencies: string[], version: string}|null
	 */
	public static function asset(): ?array {
		$file = dirname( PLUGIN_FILE ) . '/' . self::BUILD_DIR . 'index.asset.php';
		if ( ! is_file( $file ) ) {
			return null;
		}
		$asset = require $file;
		return is_array( $asset ) ? $asset : null;
	}

	/**
	 * Registers and enqueues the app's script and style (only called on a
	 * page that shows the shell: nothing of it loads elsewhere).
	 *
	 * @return bool Whether the built app was found.
	 */
	public static function enqueue(): bool {
		$asset = self::asset();
		if ( null === $asset ) {
			return false;
		}
		$base    = plugins_url( self::BUILD_DIR, PLUGIN_FILE );
		$version = isset( $asset['version'] ) ? (string) $asset['version'] : false;
		$deps    = isset( $asset['dependencies'] ) && is_array( $asset['dependencies'] ) ? $asset['dependencies'] : array();
		wp_enqueue_style( self::HANDLE, $base . 'index.css', array(), $version );
		wp_style_add_data( self::HANDLE, 'rtl', 'replace' );
		wp_enqueue_script( self::HANDLE, $base . 'index.js', $deps, $version, true );
		wp_set_script_translations( self::HANDLE, 'workos' );
		return true;
	}

	/**
	 * `<body>` classes of a full-page shell (the reference's, filterable).
	 *
	 * @param array $profile Normalized profile.
	 * @return string[]
	 */
	public static function body_classes( array $profile ): array {
		/**
		 * Filters the body classes of the full-page login.
		 *
		 * @param string[] $classes Classes.
		 * @param Profile  $profile The profile (an object, as the reference's; also readable as an array).
		 */
		$classes = apply_filters( 'workos_authkit_body_classes', array( 'workos-authkit-body', 'workos-profile-' . $profile['slug'] ), new Profile( $profile ) );
		return array_values( array_filter( array_map( 'sanitize_html_class', (array) $classes ) ) );
	}

	/**
	 * The label of a social button (src/App.js socialLabel() says the same).
	 *
	 * @param string $method One of SOCIAL.
	 */
	public static function social_label( string $method ): string {
		switch ( $method ) {
			case 'oauth_google':
				return __( 'Continue with Google', 'workos' );
			case 'oauth_microsoft':
				return __( 'Continue with Microsoft', 'workos' );
			case 'oauth_github':
				return __( 'Continue with GitHub', 'workos' );
			default:
				return __( 'Continue with Apple', 'workos' );
		}
	}

	/**
	 * The shell's root element with the first step inside, ready to hydrate.
	 * No whitespace between tags: React would see it as text nodes of its own;
	 * `value=""` because React writes that attribute on a controlled input.
	 *
	 * @param array $profile Profile (normalized here).
	 * @param array $context redirect_to (validated by the caller); embedded
	 *                       (inside a theme's page, e.g. the shortcode: the page
	 *                       has its own main landmark and h1, so the card is a
	 *                       section with an h2); initial_step + step_data
	 *                       (the step to open on and what it needs, e.g.
	 *                       an invitation token).
	 * @return string HTML.
	 */
	public static function markup( array $profile, array $context = array() ): string {
		$profile  = self::normalize( $profile );
		$branding = $profile['branding'];
		$site     = get_bloginfo( 'name' );
		$embedded = ! empty( $context['embedded'] );
		$card     = $embedded ? 'section' : 'main';
		$heading  = $embedded ? 'h2' : 'h1';
		// The step to open on (an invitation or reset link); the script renders any but the email step.
		$step = isset( $context['initial_step'] ) && is_string( $context['initial_step'] ) && 1 === preg_match( '/^[a-z_]{1,32}$/D', $context['initial_step'] ) ? $context['initial_step'] : 'email';

		$html = self::color_style( $branding['primary_color'] );

		$html .= sprintf(
			'<div id="%1$s" data-profile="%2$s" data-rest-base="%3$s" data-redirect-to="%4$s" data-site-name="%5$s" data-site-url="%6$s" data-initial-step="%8$s"%7$s%9$s%10$s>',
			esc_attr( self::ROOT_ID ),
			esc_attr( (string) wp_json_encode( self::client_profile( $profile ) ) ),
			esc_url( rest_url( 'workos/v1/auth/' ) ),
			esc_attr( isset( $context['redirect_to'] ) ? (string) $context['redirect_to'] : '' ),
			esc_attr( $site ),
			esc_url( home_url( '/' ) ),
			$embedded ? ' data-embedded="1"' : '',
			esc_attr( $step ),
			'email' === $step ? '' : ' data-step-data="' . esc_attr( (string) wp_json_encode( (object) ( $context['step_data'] ?? array() ) ) ) . '"',
			// Radar's SDK loads only with a site key (src/radar.js).
			'' !== Radar::site_key() ? ' data-radar-site-key="' . esc_attr( Radar::site_key() ) . '"' : ''
		);
		// The slots' elements (Slots) where src/App.js renders them: hydration finds what it renders.
		$html .= '<div class="wa-shell">' . Slots::slot( Slots::BEFORE_HEADER ) . '<' . $card . ' class="wa-card" aria-labelledby="wa-heading">';
		if ( '' !== $branding['logo_url'] ) {
			$html .= sprintf( '<img class="wa-logo" src="%1$s" alt="%2$s"/>', esc_url( $branding['logo_url'] ), esc_attr( $site ) );
		}
		$html .= sprintf(
			'<%1$s class="wa-heading" id="wa-heading">%2$s</%1$s>',
			$heading,
			esc_html( '' !== $branding['heading'] ? $branding['heading'] : __( 'Sign in', 'workos' ) )
		);
		if ( '' !== $branding['subheading'] ) {
			$html .= sprintf( '<p class="wa-subheading">%s</p>', esc_html( $branding['subheading'] ) );
		}
		$html .= Slots::slot( Slots::AFTER_HEADER ) . '<div class="wa-error" id="wa-error" role="alert"></div><div class="wa-status" role="status"></div>';
		if ( 'email' !== $step ) {
			// Another first step (an invitation, a reset link, MFA after the callback) is the
			// script's to render (src/index.js): until it runs, a neutral card — not an email
			// form that would flash and be replaced.
			$html .= '<div class="wa-step wa-step-loading"><p class="wa-intro">' . esc_html__( 'Loading…', 'workos' ) . '</p>';
			$html .= '<noscript><p class="wa-intro">' . esc_html__( 'This sign-in needs JavaScript. Please turn it on and reload the page.', 'workos' ) . '</p></noscript></div>';
			return $html . '</' . $card . '>' . Slots::below_card() . '</div></div>';
		}
		$html .= sprintf(
			'<form class="wa-form" method="post" novalidate="">' . Slots::slot( Slots::BEFORE_FORM ) . '<div class="wa-field"><label class="wa-label" for="wa-email">%1$s</label><input class="wa-input" id="wa-email" name="email" type="email" autocomplete="username" inputmode="email" required="" value=""/></div>' . Slots::slot( Slots::AFTER_FORM ) . '<button class="wa-button wa-button-primary" type="submit">%2$s</button>' . Slots::slot( Slots::AFTER_PRIMARY_ACTION ) . '%3$s</form>',
			esc_html__( 'Email address', 'workos' ),
			esc_html__( 'Continue', 'workos' ),
			// The way to sign up, as steps/Email.js renders it (signupOffered()).
			Signup::offered( $profile ) ? '<p class="wa-switch"><button class="wa-link" type="button">' . esc_html__( 'Create an account', 'workos' ) . '</button></p>' : ''
		);
		$social = array_values( array_intersect( self::SOCIAL, $profile['methods'] ) );
		$html  .= Slots::slot( Slots::BEFORE_METHODS );
		if ( $social ) {
			$html .= sprintf( '<div class="wa-social"><p class="wa-divider"><span>%s</span></p>', esc_html__( 'or', 'workos' ) );
			foreach ( $social as $method ) {
				$html .= sprintf(
					'<button class="wa-button wa-button-secondary" type="button" data-provider="%1$s">%2$s</button>',
					esc_attr( $method ),
					esc_html( self::social_label( $method ) )
				);
			}
			$html .= '</div>';
		}
		// Passkeys: same markup as src/passkey.js PasskeyButton (first render == server render).
		if ( in_array( 'passkey', $profile['methods'], true ) ) {
			$html .= \WorkOS_WP\Passkeys\LoginButton::markup( ! $social );
		}
		$html .= Slots::slot( Slots::AFTER_METHODS ) . Slots::slot( Slots::BEFORE_FOOTER ) . Slots::slot( Slots::AFTER_FOOTER );
		$html .= '</' . $card . '>' . Slots::below_card() . '</div></div>';
		return $html;
	}

	/**
	 * A whole page with only the shell (the `/workos/login/{profile}` route's
	 * body): the style in <head> so the server-rendered card is styled
	 * before the script runs, the script at the end of <body>.
	 *
	 * @param array $profile Profile.
	 * @param array $context See markup().
	 */
	public static function page( array $profile, array $context = array() ): void {
		$profile = self::normalize( $profile );
		self::enqueue();
		$heading = '' !== $profile['branding']['heading'] ? $profile['branding']['heading'] : __( 'Sign in', 'workos' );
		echo '<!DOCTYPE html><html ' . get_language_attributes() . '><head><meta charset="' . esc_attr( get_bloginfo( 'charset' ) ) . '">'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- core escapes language_attributes.
		echo '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">';
		printf( '<title>%s</title>', esc_html( $heading . ' ‹ ' . get_bloginfo( 'name' ) ) );
		// Scripts and styles of plugins that fill the shell's slots (Slots).
		$extensions = Slots::enqueue_assets( $profile );
		wp_print_styles( array_merge( array( self::HANDLE ), $extensions['styles'] ) );
		printf( '</head><body class="%s">', esc_attr( implode( ' ', self::body_classes( $profile ) ) ) );
		echo self::markup( $profile, $context ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- markup() escapes every value.
		echo self::page_links( $profile, (string) ( $context['initial_step'] ?? 'email' ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- page_links() escapes every value.
		wp_print_scripts( array_merge( $extensions['scripts'], array( self::HANDLE ) ) );
		echo '</body></html>';
	}

	/**
	 * Below the full-page card, outside what React manages: the way back to
	 * the site, and to a lost password when the profile signs in by password
	 * (wp-login.php's lost-password screen decides where that goes), as
	 * WordPress's own login page offers. A link that only makes sense on some
	 * steps names them in `data-wa-steps` (src/App.js shows it on those only)
	 * and starts hidden on any other.
	 *
	 * @param array  $profile Normalized profile.
	 * @param string $step    The step the shell opens on.
	 */
	private static function page_links( array $profile, string $step = 'email' ): string {
		$links = array();
		if ( in_array( 'password', $profile['methods'], true ) && false !== ( $profile['password_reset_flow'] ?? true ) ) {
			// The password step has its own "Forgot your password?" in the card (same condition).
			$steps   = array( 'email' );
			$links[] = sprintf(
				'<p data-wa-steps="%1$s"%2$s><a href="%3$s">%4$s</a></p>',
				esc_attr( implode( ' ', $steps ) ),
				in_array( $step, $steps, true ) ? '' : ' hidden',
				esc_url( wp_lostpassword_url() ),
				esc_html__( 'Lost your password?', 'workos' )
			);
		}
		$links[] = sprintf(
			'<p><a href="%1$s">%2$s</a></p>',
			esc_url( home_url( '/' ) ),
			/* translators: %s: site name. */
			esc_html( sprintf( _x( '← Go to %s', 'site', 'workos' ), get_bloginfo( 'name', 'display' ) ) )
		);
		return '<nav class="wa-page-links" aria-label="' . esc_attr__( 'More', 'workos' ) . '">' . implode( '', $links ) . '</nav>';
	}

	/**
	 * The profile's colour as the card's CSS variables; the text on it is
	 * white or near-black, whichever contrasts more.
	 *
	 * @param string $color '' or a #rgb / #rrggbb(aa) colour (validated by normalize()).
	 */
	private static function color_style( string $color ): string {
		if ( '' === $color ) {
			return '';
		}
		$hex = ltrim( $color, '#' );
		if ( strlen( $hex ) < 6 ) {
			$hex = $hex[0] . $hex[0] . $hex[1] . $hex[1] . $hex[2] . $hex[2];
		}
		$rgb   = array_map( 'hexdec', str_split( substr( $hex, 0, 6 ), 2 ) );
		$hover = vsprintf( '#%02x%02x%02x', array_map( static fn( $c ) => (int) round( $c * 0.85 ), $rgb ) );
		$lin   = array_map(
			static function ( $c ) {
				$c /= 255;
				return $c <= 0.03928 ? $c / 12.92 : ( ( $c + 0.055 ) / 1.055 ) ** 2.4;
			},
			$rgb
		);
		$lum = 0.2126 * $lin[0] + 0.7152 * $lin[1] + 0.0722 * $lin[2];
		// Contrast with white is 1.05 / (L + 0.05), with #1e1e1e about (L + 0.05) / 0.063.
		$fg = ( 1.05 / ( $lum + 0.05 ) ) >= ( ( $lum + 0.05 ) / 0.063 ) ? '#fff' : '#1e1e1e';
		return sprintf(
			'<style>#%1$s{--wa-primary:%2$s;--wa-primary-hover:%3$s;--wa-primary-fg:%4$s}</style>',
			esc_attr( self::ROOT_ID ),
			esc_attr( '#' . $hex ),
			esc_attr( $hover ),
			esc_attr( $fg )
		);
	}
}
