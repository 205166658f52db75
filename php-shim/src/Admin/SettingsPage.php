<?php
/**
 * Settings → WorkOS.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * The settings screen: rendering and sanitising, storage is Settings'.
 */
final class SettingsPage {

	public const SLUG = 'workos';

	/**
	 * Adds the menu entry.
	 */
	public static function add_menu(): void {
		add_options_page(
			__( 'WorkOS', 'workos' ),
			__( 'WorkOS', 'workos' ),
			'manage_options',
			self::SLUG,
			array( self::class, 'render' )
		);
	}

	/**
	 * Registers the option and its fields with the Settings API.
	 */
	public static function register(): void {
		register_setting(
			self::SLUG,
			Settings::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( self::class, 'sanitize' ),
				'default'           => array(),
			)
		);
		add_settings_section( 'workos_api', __( 'WorkOS API', 'workos' ), '__return_false', self::SLUG );
		$labels = array(
			'api_key'        => __( 'API key', 'workos' ),
			'client_id'      => __( 'Client ID', 'workos' ),
			'webhook_secret' => __( 'Webhook secret', 'workos' ),
			'api_base_url'   => __( 'API base URL', 'workos' ),
		);
		foreach ( $labels as $key => $label ) {
			add_settings_field(
				'workos_' . $key,
				$label,
				array( self::class, 'render_field' ),
				self::SLUG,
				'workos_api',
				array(
					'key'       => $key,
					'label_for' => 'workos_' . $key,
				)
			);
		}
	}

	/**
	 * Keeps stored secrets when their field is left blank, and never lets a
	 * constant-backed value be overwritten from the form.
	 *
	 * @param mixed $input Submitted values.
	 */
	public static function sanitize( $input ): array {
		$stored = get_option( Settings::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		$input  = is_array( $input ) ? $input : array();
		$clean  = $stored;
		foreach ( Settings::FIELDS as $key => $field ) {
			if ( Settings::from_constant( $key ) || ! isset( $input[ $key ] ) || ! is_string( $input[ $key ] ) ) {
				continue;
			}
			$value = trim( sanitize_text_field( $input[ $key ] ) );
			if ( $field['secret'] && '' === $value ) {
				continue;
			}
			if ( 'api_base_url' === $key && '' !== $value ) {
				$value = untrailingslashit( esc_url_raw( $value, array( 'http', 'https' ) ) );
				if ( '' === $value ) {
					add_settings_error( Settings::OPTION, 'workos_base_url', __( 'The API base URL must be an http(s) URL.', 'workos' ) );
					continue;
				}
			}
			$clean[ $key ] = $value;
		}
		return $clean;
	}

	/**
	 * One field. Secrets are never printed: only a mask.
	 *
	 * @param array $args Field arguments.
	 */
	public static function render_field( array $args ): void {
		$key      = $args['key'];
		$secret   = Settings::FIELDS[ $key ]['secret'];
		$value    = Settings::get( $key );
		$constant = Settings::from_constant( $key );
		$shown    = $secret ? Settings::mask( $value ) : $value;
		if ( $constant ) {
			printf(
				'<input type="text" id="workos_%1$s" class="regular-text" value="%2$s" disabled /> <p class="description">%3$s</p>',
				esc_attr( $key ),
				esc_attr( $shown ),
				/* translators: %s: PHP constant name. */
				esc_html( sprintf( __( 'Set by the %s constant.', 'workos' ), Settings::FIELDS[ $key ]['constant'] ) )
			);
			return;
		}
		if ( $secret ) {
			printf(
				'<input type="password" id="workos_%1$s" name="%2$s[%1$s]" class="regular-text" value="" placeholder="%3$s" autocomplete="new-password" /> <p class="description">%4$s</p>',
				esc_attr( $key ),
				esc_attr( Settings::OPTION ),
				esc_attr( $shown ),
				esc_html__( 'Stored values are never shown; leave blank to keep the current one.', 'workos' )
			);
			return;
		}
		printf(
			'<input type="%4$s" id="workos_%1$s" name="%2$s[%1$s]" class="regular-text" value="%3$s" />',
			esc_attr( $key ),
			esc_attr( Settings::OPTION ),
			esc_attr( $shown ),
			'api_base_url' === $key ? 'url' : 'text'
		);
	}

	/**
	 * The page.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		echo '<div class="wrap"><h1>' . esc_html__( 'WorkOS', 'workos' ) . '</h1>';
		printf(
			'<p>%s <code>%s</code></p>',
			esc_html__( 'Redirect URI to register in the WorkOS dashboard:', 'workos' ),
			esc_html( home_url( \WorkOS_WP\Callback::PATH ) )
		);
		printf(
			'<p>%s <code>%s</code></p>',
			esc_html__( 'Webhook endpoint:', 'workos' ),
			esc_html( rest_url( 'workos/v1/webhook' ) )
		);
		echo '<form method="post" action="options.php">';
		settings_fields( self::SLUG );
		do_settings_sections( self::SLUG );
		submit_button();
		echo '</form></div>';
	}
}
