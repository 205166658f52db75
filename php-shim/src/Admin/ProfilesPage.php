<?php
/**
 * WorkOS → Login Profiles: the top-level WorkOS admin menu and the Login
 * Profiles editor (a React app built from php-shim/js/profiles/src).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Profiles\AdminRest;
use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\SignIn\Hosted\Shell;
use function WorkOS_WP\extension_ready;

use const WorkOS_WP\PLUGIN_FILE;

defined( 'ABSPATH' ) || exit;

/**
 * The menu (WorkOS → Login Profiles, Settings, Activity) and the screen
 * that mounts the editor. Everything the app needs arrives in the global
 * `workosProfileAdmin` (the reference's name and keys, plus a few more); it
 * talks to Profiles\AdminRest through wp.apiFetch (cookie + REST nonce).
 */
final class ProfilesPage {

	public const SLUG = 'workos-login-profiles';

	/** Script and style handle of the editor. */
	public const HANDLE = 'workos-profiles-admin';

	/** The editor's build (scripts/js-build.sh), relative to the plugin folder. */
	private const BUILD_DIR = 'js/profiles/build/';

	/** The login shell's stylesheet, loaded here for the card's live preview only. */
	private const PREVIEW_STYLE = 'workos-profiles-preview';

	/**
	 * admin_menu: the top-level WorkOS menu. Its first item is this screen;
	 * Settings and Activity link to their existing screens (which keep their
	 * own URLs: options-general.php?page=workos, tools.php?page=workos-activity).
	 */
	public static function add_menu(): void {
		$title = __( 'Login Profiles', 'workos' );
		$hook  = add_menu_page( $title, __( 'WorkOS', 'workos' ), 'manage_options', self::SLUG, array( self::class, 'render' ), 'dashicons-shield', 81 );
		// Same slug as the parent: renames the automatic first item ("WorkOS") to "Login Profiles".
		add_submenu_page( self::SLUG, $title, $title, 'manage_options', self::SLUG, array( self::class, 'render' ) );
		add_submenu_page( self::SLUG, __( 'WorkOS settings', 'workos' ), __( 'Settings', 'workos' ), 'manage_options', 'options-general.php?page=' . SettingsPage::SLUG );
		add_submenu_page( self::SLUG, __( 'WorkOS activity', 'workos' ), __( 'Activity', 'workos' ), 'manage_options', 'tools.php?page=' . ActivityPage::SLUG );
		if ( $hook ) {
			add_action( 'load-' . $hook, array( self::class, 'load' ) );
		}
	}

	/**
	 * load-{screen}: the editor's assets load on this screen only.
	 */
	public static function load(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		add_action( 'admin_enqueue_scripts', array( self::class, 'enqueue' ) );
	}

	/**
	 * The build's asset manifest (dependencies, version), or null when the
	 * app has not been built.
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
	 * admin_enqueue_scripts (this screen only): the app, its style, the
	 * login card's style for the preview, the media library (logo picker)
	 * and the app's configuration.
	 */
	public static function enqueue(): void {
		$asset = self::asset();
		if ( null === $asset ) {
			return;
		}
		$version = isset( $asset['version'] ) ? (string) $asset['version'] : false;
		$deps    = isset( $asset['dependencies'] ) && is_array( $asset['dependencies'] ) ? $asset['dependencies'] : array();
		$base    = plugins_url( self::BUILD_DIR, PLUGIN_FILE );

		$style_deps = array( 'wp-components' );
		$shell_css  = dirname( PLUGIN_FILE ) . '/' . Shell::BUILD_DIR . 'index.css';
		if ( is_file( $shell_css ) ) {
			// The real card's stylesheet, so the preview looks like the login page.
			wp_register_style( self::PREVIEW_STYLE, plugins_url( Shell::BUILD_DIR . 'index.css', PLUGIN_FILE ), array(), (string) filemtime( $shell_css ) );
			$style_deps[] = self::PREVIEW_STYLE;
		}
		wp_enqueue_style( self::HANDLE, $base . 'index.css', $style_deps, $version );
		wp_enqueue_script( self::HANDLE, $base . 'index.js', $deps, $version, true );
		wp_set_script_translations( self::HANDLE, 'workos' );
		wp_add_inline_script( self::HANDLE, 'window.workosProfileAdmin = ' . wp_json_encode( self::config() ) . ';', 'before' );
		// The logo picker opens the media library.
		wp_enqueue_media();
	}

	/**
	 * The app's configuration (`workosProfileAdmin`): the reference's keys
	 * (restUrl, nonce, pageUrl, loginUrlBase, siteUrl, shortcodeTag,
	 * profiles, activeProfileSlug) and what the editor shows besides.
	 */
	public static function config(): array {
		$profiles = array();
		if ( extension_ready() ) {
			ProfileRepository::get_default();
			$profiles = AdminRest::editor_profiles();
		}
		$roles = array();
		foreach ( wp_roles()->get_names() as $role => $name ) {
			$roles[] = array(
				'value' => (string) $role,
				'label' => translate_user_role( $name ),
			);
		}
		$site_icon = get_site_icon_url( 192 );
		return array(
			'restUrl'           => esc_url_raw( rest_url( AdminRest::REST_NAMESPACE . '/admin/' ) ),
			'nonce'             => wp_create_nonce( 'wp_rest' ),
			'pageUrl'           => admin_url( 'admin.php?page=' . self::SLUG ),
			'loginUrlBase'      => home_url( '/workos/login/' ),
			'siteUrl'           => home_url( '/' ),
			'siteName'          => get_bloginfo( 'name' ),
			'shortcodeTag'      => 'workos:login',
			'profiles'          => $profiles,
			'activeProfileSlug' => ProfileRepository::DEFAULT_SLUG,
			'extensionReady'    => extension_ready(),
			'roles'             => $roles,
			'colors'            => self::color_presets(),
			'defaultLogoUrl'    => $site_icon ? $site_icon : admin_url( 'images/wordpress-logo.svg' ),
			'settingsUrl'       => admin_url( 'options-general.php?page=' . SettingsPage::SLUG ),
		);
	}

	/**
	 * The admin colour schemes' accent colours (the site owner's own scheme
	 * first), for the primary-colour palette.
	 *
	 * @return array<int, array{name: string, color: string}>
	 */
	private static function color_presets(): array {
		global $_wp_admin_css_colors;
		$schemes = is_array( $_wp_admin_css_colors ) ? $_wp_admin_css_colors : array();
		$mine    = (string) get_user_option( 'admin_color' );
		if ( isset( $schemes[ $mine ] ) ) {
			$schemes = array( $mine => $schemes[ $mine ] ) + $schemes;
		}
		$presets = array();
		$seen    = array();
		foreach ( $schemes as $scheme ) {
			// colors[2] is each scheme's accent (buttons, links, the current menu item).
			$color = isset( $scheme->colors[2] ) ? strtolower( (string) $scheme->colors[2] ) : '';
			if ( ! preg_match( '/^#[0-9a-f]{3,8}$/', $color ) || isset( $seen[ $color ] ) ) {
				continue;
			}
			$seen[ $color ] = true;
			$presets[]      = array(
				'name'  => (string) $scheme->name,
				'color' => $color,
			);
		}
		if ( ! $presets ) {
			$presets[] = array(
				'name'  => __( 'WordPress blue', 'workos' ),
				'color' => '#2271b1',
			);
		}
		return $presets;
	}

	/**
	 * The screen: a heading and the app's root (with a message for when the
	 * app is not built or JavaScript is off).
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		echo '<div class="wrap workos-profiles-wrap">';
		echo '<h1>' . esc_html__( 'Login Profiles', 'workos' ) . '</h1>';
		if ( ! extension_ready() ) {
			echo '<div class="notice notice-error inline"><p>' . esc_html__( 'The workos PHP extension is not loaded, so login profiles cannot be managed.', 'workos' ) . '</p></div>';
		}
		echo '<div id="workos-profiles-root">';
		if ( null === self::asset() ) {
			echo '<div class="notice notice-warning inline"><p>' . esc_html__( 'The Login Profiles editor has not been built (run make build).', 'workos' ) . '</p></div>';
		} else {
			echo '<noscript><div class="notice notice-warning inline"><p>' . esc_html__( 'The Login Profiles editor needs JavaScript.', 'workos' ) . '</p></div></noscript>';
			echo '<p class="workos-profiles-loading">' . esc_html__( 'Loading…', 'workos' ) . '</p>';
		}
		echo '</div></div>';
	}
}
