<?php
/**
 * The sign-in button: `[workos_login]` shortcode, the `workos/login-button`
 * block and a classic widget, all rendered here.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Button;

use WorkOS_WP\SignIn\Redirects;

defined( 'ABSPATH' ) || exit;

/**
 * Renders the button and registers its block.
 */
final class LoginButton {

	public const BLOCK     = 'workos/login-button';
	public const SHORTCODE = 'workos_login';

	/**
	 * The block's `align`: where the button sits in the content column (a text alignment, as
	 * core's Paragraph block has, not the floats of block alignment: a floated block leaves
	 * the content column for the page edge in block themes such as Twenty Twenty-Three).
	 */
	private const ALIGNMENTS = array( 'left', 'center', 'right' );

	/**
	 * `[workos_login label="…" redirect_to="…" show_when_signed_in="1" align="center" class="…"]`.
	 *
	 * Rendered as the block itself, so that the shortcode gives the block's markup (its wrapper
	 * div and classes) and a theme styles both alike.
	 *
	 * @param array|string $atts Shortcode attributes.
	 */
	public static function shortcode( $atts ): string {
		$atts  = shortcode_atts(
			array(
				'label'               => '',
				'redirect_to'         => '',
				'show_when_signed_in' => '',
				'align'               => '',
				'class'               => '',
			),
			is_array( $atts ) ? $atts : array(),
			self::SHORTCODE
		);
		$attrs = array(
			'label'            => (string) $atts['label'],
			'redirectTo'       => (string) $atts['redirect_to'],
			'showWhenSignedIn' => (bool) filter_var( $atts['show_when_signed_in'], FILTER_VALIDATE_BOOLEAN ),
		);
		if ( in_array( $atts['align'], self::ALIGNMENTS, true ) ) {
			$attrs['align'] = $atts['align'];
		}
		$classes = array_filter( array_map( 'sanitize_html_class', preg_split( '/\s+/', (string) $atts['class'] ) ) );
		if ( $classes ) {
			$attrs['className'] = implode( ' ', $classes );
		}
		// The block's defaults are left out, as the block editor leaves them out of a block's
		// comment, so that both give byte-for-byte the same markup.
		$attrs = array_filter(
			$attrs,
			static function ( $value ) {
				return '' !== $value && false !== $value;
			}
		);
		if ( ! \WP_Block_Type_Registry::get_instance()->is_registered( self::BLOCK ) ) {
			// Before init (a theme calling do_shortcode() too early): the block wrapper is not
			// known yet; the button alone is better than nothing.
			return self::render( (string) $atts['label'], (string) $atts['redirect_to'], ! empty( $attrs['showWhenSignedIn'] ) );
		}
		return render_block(
			array(
				'blockName'    => self::BLOCK,
				'attrs'        => $attrs,
				'innerBlocks'  => array(),
				'innerHTML'    => '',
				'innerContent' => array(),
			)
		);
	}

	/**
	 * The block (and the shortcode): the button inside the block wrapper. Alignment (core's
	 * has-text-align-* classes), the owner's class and margins go on the wrapper
	 * (get_block_wrapper_attributes()); colours, font size and padding on the button
	 * (block.json skips their serialization), as core's Button block does — "Background:
	 * Primary" paints the button, not a full-width box around it.
	 *
	 * @param array $attributes Block attributes.
	 */
	public static function render_block( $attributes ): string {
		$attributes = is_array( $attributes ) ? $attributes : array();
		$button     = self::render(
			(string) ( $attributes['label'] ?? '' ),
			(string) ( $attributes['redirectTo'] ?? '' ),
			! empty( $attributes['showWhenSignedIn'] ),
			self::button_styles( $attributes )
		);
		if ( '' === $button ) {
			return ''; // Nothing to show: no empty box with margins either.
		}
		// Core's own utility classes (common.css, loaded wherever blocks are) place the inline
		// button in the wrapper, which itself stays in the content column.
		$align = (string) ( $attributes['align'] ?? '' );
		$extra = in_array( $align, self::ALIGNMENTS, true ) ? array( 'class' => 'has-text-align-' . $align ) : array();
		if ( null === \WP_Block_Supports::$block_to_render ) {
			// Called outside a block render (by other code): the supports cannot be read.
			$wrapper = sprintf( 'class="%s"', esc_attr( trim( 'wp-block-workos-login-button ' . ( $extra['class'] ?? '' ) ) ) );
		} else {
			$wrapper = get_block_wrapper_attributes( $extra );
		}
		return sprintf( '<div %s>%s</div>', $wrapper, $button );
	}

	/**
	 * The button's own classes and inline style from the block's colour, font size and
	 * padding attributes — what WordPress would put on the wrapper, through the same style
	 * engine (preset values become has-*-color classes, custom ones inline CSS).
	 *
	 * @param array $attributes Block attributes.
	 * @return array{class: string, style: string}
	 */
	private static function button_styles( array $attributes ): array {
		$style  = isset( $attributes['style'] ) && is_array( $attributes['style'] ) ? $attributes['style'] : array();
		$preset = static function ( string $key, string $kind ) use ( $attributes ): ?string {
			$slug = isset( $attributes[ $key ] ) && is_string( $attributes[ $key ] ) ? $attributes[ $key ] : '';
			return '' !== $slug ? "var:preset|{$kind}|{$slug}" : null;
		};
		$font   = $preset( 'fontSize', 'font-size' );
		if ( null === $font && isset( $style['typography']['fontSize'] ) && function_exists( 'wp_get_typography_font_size_value' ) ) {
			$font = wp_get_typography_font_size_value( array( 'size' => $style['typography']['fontSize'] ) );
		}
		if ( ! function_exists( 'wp_style_engine_get_styles' ) ) {
			return array(
				'class' => '',
				'style' => '',
			); // WordPress before 6.1.
		}
		// Presets as classes for colours and font size (as core's colour and typography
		// supports do), as CSS variables for spacing (as core's spacing support does).
		$named   = wp_style_engine_get_styles(
			array(
				'color'      => array(
					'text'       => $preset( 'textColor', 'color' ) ?? ( $style['color']['text'] ?? null ),
					'background' => $preset( 'backgroundColor', 'color' ) ?? ( $style['color']['background'] ?? null ),
				),
				'typography' => array( 'fontSize' => $font ),
			),
			array( 'convert_vars_to_classnames' => true )
		);
		$spacing = wp_style_engine_get_styles( array( 'spacing' => array( 'padding' => $style['spacing']['padding'] ?? null ) ) );
		return array(
			'class' => (string) ( $named['classnames'] ?? '' ),
			'style' => (string) ( $named['css'] ?? '' ) . (string) ( $spacing['css'] ?? '' ),
		);
	}

	/**
	 * The button: a link to wp-login.php (which sends the visitor to WorkOS)
	 * that brings them back to this page, or to `$redirect_to` when it is a
	 * page of this site. Signed-in visitors get a sign-out link, or nothing.
	 *
	 * The block editor's preview (the REST block renderer) is asked by a signed-in editor
	 * and shows what a visitor will see: the sign-in button with its label.
	 *
	 * @param string $label          Button text ('' = "Sign in").
	 * @param string $redirect_to    Where to land afterwards ('' = here).
	 * @param bool   $when_signed_in Show a sign-out link to signed-in visitors.
	 * @param array  $look           The button's extra 'class' and inline 'style'.
	 */
	public static function render( string $label, string $redirect_to, bool $when_signed_in, array $look = array() ): string {
		$here   = self::current_url();
		$target = '' !== $redirect_to ? Redirects::site_target( $redirect_to ) : $here;
		$extra  = trim( (string) ( $look['class'] ?? '' ) );
		// Inline-block: an inline link's padding overlaps the lines above and below it (core's
		// Button block gets this from its stylesheet, which a page without one does not load).
		$style  = sprintf( ' style="%s"', esc_attr( 'display:inline-block;' . ( $look['style'] ?? '' ) ) );
		if ( is_user_logged_in() && ! self::is_editor_preview() ) {
			if ( ! $when_signed_in ) {
				return '';
			}
			return sprintf( '<a class="%s" href="%s"%s>%s</a>', esc_attr( trim( 'workos-login-button workos-logout wp-element-button ' . $extra ) ), esc_url( wp_logout_url( $here ) ), $style, esc_html__( 'Sign out', 'workos' ) );
		}
		return sprintf(
			'<a class="%s" href="%s"%s rel="nofollow">%s</a>',
			esc_attr( trim( 'workos-login-button wp-element-button ' . $extra ) ),
			esc_url( wp_login_url( $target ) ),
			$style,
			esc_html( '' !== trim( $label ) ? $label : __( 'Sign in', 'workos' ) )
		);
	}

	/**
	 * Whether this is the block editor asking for a preview (GET /wp/v2/block-renderer/…):
	 * the route checks that the user may edit posts, so no visitor gets here.
	 */
	private static function is_editor_preview(): bool {
		if ( ! defined( 'REST_REQUEST' ) || ! REST_REQUEST || ! isset( $GLOBALS['wp'] ) ) {
			return false;
		}
		$route = (string) ( $GLOBALS['wp']->query_vars['rest_route'] ?? '' );
		return 0 === strpos( $route, '/wp/v2/block-renderer/' . self::BLOCK );
	}

	/**
	 * The URL of the page being viewed.
	 */
	private static function current_url(): string {
		$uri = isset( $_SERVER['REQUEST_URI'] ) ? (string) wp_unslash( $_SERVER['REQUEST_URI'] ) : '/'; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		return Redirects::safe_target( home_url( $uri ) );
	}
}
